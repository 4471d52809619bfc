public import ConciergeSupport

/// The generator lives in `ConciergeSupport` now. This alias only keeps `conciergectl` (whose owner moves it to
/// `import ConciergeSupport`) building; new code imports `ConciergeSupport` and nothing else should use it.
public typealias SplitMix64 = ConciergeSupport.SplitMix64
