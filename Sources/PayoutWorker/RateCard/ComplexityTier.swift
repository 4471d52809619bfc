/// The complexity tier of a conversation, from the classification: it selects the base fee.
public enum ComplexityTier: String, Sendable, Hashable, CaseIterable, Codable {
    case routine
    case complex
    case sensitive
}
