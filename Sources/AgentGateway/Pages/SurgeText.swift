/// Surge multipliers as people read them: 12500 basis points is "1.25×". Integer arithmetic only.
enum SurgeText {
    static func multiplier(_ basisPoints: Int) -> String {
        let hundredths = basisPoints / 100
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)×"
    }
}
