/// What the human lane tells the customer, per language (English, German, Swedish; others get English). Adding a
/// language is adding a case to `Language` and its phrases here.
public struct CustomerPhrases: Sendable, Hashable {
    public enum Language: String, Sendable, CaseIterable {
        case en, de, sv
    }

    public let language: Language

    public init(code: String) {
        self.language = Language(rawValue: code.lowercased()) ?? .en
    }

    public func waiting(position: Int, etaMinutes: Int) -> String {
        switch self.language {
        case .en:
            "You are number \(position) in line. A person will be with you in about \(etaMinutes) \(etaMinutes == 1 ? "minute" : "minutes")."
        case .de:
            "Sie sind an Position \(position) in der Warteschlange. In etwa \(etaMinutes) \(etaMinutes == 1 ? "Minute" : "Minuten") ist jemand für Sie da."
        case .sv:
            "Du är nummer \(position) i kön. Om ungefär \(etaMinutes) \(etaMinutes == 1 ? "minut" : "minuter") hjälper någon dig."
        }
    }

    public func assigned(agentName: String) -> String {
        switch self.language {
        case .en: "\(agentName) from our team has your case and will answer you here."
        case .de: "\(agentName) aus unserem Team kümmert sich um Ihr Anliegen und antwortet Ihnen hier."
        case .sv: "\(agentName) i vårt team har tagit ditt ärende och svarar dig här."
        }
    }

    public func resolved(agentName: String) -> String {
        switch self.language {
        case .en: "\(agentName) has marked your case as resolved. How did we do? Rate this conversation from 1 to 5."
        case .de:
            "\(agentName) hat Ihr Anliegen als gelöst markiert. Wie zufrieden waren Sie? Bewerten Sie das Gespräch von 1 bis 5."
        case .sv: "\(agentName) har markerat ditt ärende som löst. Hur nöjd är du? Betygsätt samtalet från 1 till 5."
        }
    }
}
