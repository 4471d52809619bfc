public import ConciergeCore
public import ConciergeIntents
public import IntentClassifier

/// Classifies an inquiry and decides its route: the intent model, the signal detectors and the routing policy.
/// Pure (no I/O): the database facts (VIP, repeat contact, assigned agent) come in as arguments.
public struct InquiryClassifier: Sendable {
    public let model: IntentModel
    public let catalog: IntentCatalog
    public let policy: RoutingPolicy
    let humanRequest: HumanRequestDetector
    let distress: DistressDetector
    let sensitiveTopic: SensitiveTopicDetector
    let languages: LanguageDetector
    /// The language of a message the detector cannot tell (too short).
    let defaultLanguage: String

    /// `signals`: the language files the detectors read (`config/languages`); the shipped ones by default.
    public init(model: IntentModel, catalog: IntentCatalog, policy: RoutingPolicy, signals: LanguageSignals = .shipped)
    {
        self.model = model
        self.catalog = catalog
        self.policy = policy
        self.humanRequest = HumanRequestDetector(signals)
        self.distress = DistressDetector(signals)
        self.sensitiveTopic = SensitiveTopicDetector(signals)
        self.languages = LanguageDetector(signals)
        self.defaultLanguage = signals.defaultLanguage
    }

    /// What the text alone says, before any database fact.
    public struct TextAnalysis: Sendable {
        public var prediction: IntentPrediction
        /// The intent if confident enough and not out of scope, else nil (unknown).
        public var intent: String?
        /// The model's top label is the catalog's out-of-scope label: the text is about nothing the service answers.
        public var outOfScope: Bool
        public var language: String
        public var askedForHuman: Bool
        public var distress: Distress
        public var sensitiveTopic: Bool
    }

    public func analyze(text: String, language: String?) -> TextAnalysis {
        let prediction = self.model.predict(text)
        let confident = prediction.confidence >= self.policy.confidenceThreshold
        let outOfScope = prediction.label == IntentCatalog.outOfScopeLabel
        let normalized = NormalizedText(text)
        return TextAnalysis(
            prediction: prediction,
            intent: confident && !outOfScope ? prediction.label : nil,
            outOfScope: outOfScope,
            language: language ?? self.languages.detect(text) ?? self.defaultLanguage,
            askedForHuman: self.humanRequest.detect(normalized),
            distress: self.distress.assess(text, normalized: normalized),
            sensitiveTopic: self.sensitiveTopic.detect(normalized)
        )
    }

    /// The routing signals for an analysed text and the facts looked up for it.
    ///
    /// `pendingClarification` is the intent the AI asked a clarifying question about in this conversation: the
    /// message is taken as its answer (that intent, whatever the model's confidence) unless the conversation is with
    /// the human lane.
    public func signals(
        _ analysis: TextAnalysis, vip: Bool, repeatContact: Bool, assignedAgent: String?, humanLane: Bool = false,
        pendingClarification: String? = nil
    ) -> RoutingSignals {
        let clarification = humanLane ? nil : pendingClarification.flatMap { self.catalog[$0] != nil ? $0 : nil }
        let intentName = clarification ?? analysis.intent
        let intent = intentName.flatMap { self.catalog[$0] }
        return RoutingSignals(
            intent: intentName,
            confidence: analysis.prediction.confidence,
            outOfScope: intentName == nil && analysis.outOfScope,
            intentRoute: intent?.route ?? .ai,
            sensitive: (intent?.sensitive ?? false) || analysis.sensitiveTopic,
            askedForHuman: analysis.askedForHuman,
            distress: analysis.distress,
            vip: vip,
            language: analysis.language,
            languageSupported: self.policy.aiLanguages.contains(analysis.language),
            repeatContact: repeatContact,
            assignedAgent: assignedAgent,
            humanLane: humanLane,
            clarificationIntent: clarification
        )
    }

    public func decide(_ signals: RoutingSignals) -> RoutingDecision {
        self.policy.decide(signals)
    }
}
