/// Everything the routing policy looks at for one inquiry. Built by the classifier from the text, the intent model
/// and the database; pure data, so the policy can be tested exhaustively.
public struct RoutingSignals: Sendable, Hashable {
    /// The predicted intent, or nil when the model's confidence is below the threshold ("unknown").
    public var intent: String?
    /// The model's calibrated confidence in its top intent.
    public var confidence: Double
    /// The model's top label is "out of scope" (about nothing the service answers); `intent` is then nil.
    public var outOfScope: Bool
    /// The intent catalog's route for the intent (ai when unknown).
    public var intentRoute: Route
    /// The intent is sensitive (catalog), or the text mentions a sensitive topic (fraud, bereavement, hardship…).
    public var sensitive: Bool
    public var askedForHuman: Bool
    public var distress: Distress
    public var vip: Bool
    /// The inquiry's language (given or detected).
    public var language: String
    /// The AI lane serves this language.
    public var languageSupported: Bool
    /// The same customer asked about the same intent within the repeat window.
    public var repeatContact: Bool
    /// The conversation is already assigned to this human agent.
    public var assignedAgent: String?
    /// The conversation is with the human lane (waiting, on offer or assigned): it stays there until resolved.
    public var humanLane: Bool
    /// The AI asked a clarifying question about this intent and this message is the answer: `intent` is that
    /// intent, whatever the model's confidence on the (often short) reply.
    public var clarificationIntent: String?

    public init(
        intent: String?, confidence: Double, outOfScope: Bool = false, intentRoute: Route = .ai,
        sensitive: Bool = false,
        askedForHuman: Bool = false, distress: Distress = .none, vip: Bool = false, language: String = "en",
        languageSupported: Bool = true, repeatContact: Bool = false, assignedAgent: String? = nil,
        humanLane: Bool = false, clarificationIntent: String? = nil
    ) {
        self.intent = intent
        self.confidence = confidence
        self.outOfScope = outOfScope
        self.intentRoute = intentRoute
        self.sensitive = sensitive
        self.askedForHuman = askedForHuman
        self.distress = distress
        self.vip = vip
        self.language = language
        self.languageSupported = languageSupported
        self.repeatContact = repeatContact
        self.assignedAgent = assignedAgent
        self.humanLane = humanLane
        self.clarificationIntent = clarificationIntent
    }
}
