import Foundation

/// Ordered, explainable routing rules.
///
/// Every rule whose condition holds fires: it adds its reason and proposes a route; the strongest proposed route
/// wins (human_priority > human > ai) and the highest priority wins. With no rule firing, the inquiry goes to the AI
/// with the reason `intent:<name>`.
///
/// Three guards hold whatever the rules say (an operator can remove or reorder rules, not weaken these):
/// - a conversation with the human lane stays there until it is resolved (reason `human_lane`);
/// - a sensitive inquiry is never routed to the AI (reason `sensitive_guard`);
/// - an inquiry whose intent is unknown (confidence below the threshold, or out of scope) is never routed to the AI
///   (reason `unknown_guard`).
///
/// The `low_confidence` rule gives the reason `out_of_scope` when the model's top label is out of scope, else
/// `low_confidence:<confidence>`.
public struct RoutingPolicy: Sendable, Hashable {
    public var rules: [RoutingRule]
    /// Below this calibrated confidence the intent is "unknown".
    public var confidenceThreshold: Double
    /// Languages the AI lane answers in.
    public var aiLanguages: Set<String>
    /// Window for `repeat_contact`, in minutes.
    public var repeatContactWindowMinutes: Int

    public init(
        rules: [RoutingRule], confidenceThreshold: Double, aiLanguages: Set<String>, repeatContactWindowMinutes: Int
    ) {
        self.rules = rules
        self.confidenceThreshold = confidenceThreshold
        self.aiLanguages = aiLanguages
        self.repeatContactWindowMinutes = repeatContactWindowMinutes
    }

    /// The shipped default (the same as `config/routing.yaml`).
    public static let standard = RoutingPolicy(
        rules: [
            .init(name: "assigned_agent", when: .assignedToAgent, route: .human),
            .init(name: "asked_for_human", when: .askedForHuman, route: .human),
            .init(name: "severe_distress", when: .distressSevere, route: .humanPriority, priority: .urgent),
            .init(name: "distress", when: .distress, route: .human),
            .init(name: "vip", when: .vip, route: .humanPriority),
            .init(name: "sensitive", when: .sensitive, route: .fromIntent),
            .init(name: "intent", when: .intentRequiresHuman, route: .fromIntent),
            .init(name: "low_confidence", when: .lowConfidence, route: .human),
            .init(name: "unsupported_language", when: .unsupportedLanguage, route: .human),
            .init(name: "repeat_contact", when: .repeatContact, route: .human),
        ],
        confidenceThreshold: 0.60,
        aiLanguages: ["en", "de", "sv"],
        repeatContactWindowMinutes: 60
    )

    public func decide(_ signals: RoutingSignals) -> RoutingDecision {
        var route = Route.ai
        var priority = Priority.normal
        var reasons: [String] = []
        // The answer to the AI's clarifying question keeps the question's intent, whatever the model thinks of it.
        let clarifying = signals.clarificationIntent != nil && signals.clarificationIntent == signals.intent
        let unknown =
            signals.intent == nil || signals.outOfScope
            || (signals.confidence < self.confidenceThreshold && !clarifying)
        if clarifying { reasons.append("clarification_reply") }

        for rule in self.rules where self.holds(rule.when, signals, unknown: unknown) {
            let target: Route
            switch rule.route {
            case .ai: target = .ai
            case .human: target = .human
            case .humanPriority: target = .humanPriority
            case .fromIntent: target = signals.sensitive && signals.intentRoute == .ai ? .human : signals.intentRoute
            }
            let reason = self.reason(for: rule, signals)
            if !reasons.contains(reason) { reasons.append(reason) }
            route = max(route, target)
            priority = max(priority, rule.priority ?? (target == .humanPriority ? .high : .normal))
        }
        if signals.humanLane && route == .ai {
            route = .human
            reasons.append("human_lane")
        }
        if signals.sensitive && route == .ai {
            route = .human
            reasons.append("sensitive_guard")
        }
        if unknown && route == .ai {
            route = .human
            reasons.append("unknown_guard:\(Self.format(signals.confidence))")
        }
        if reasons.isEmpty || reasons == ["clarification_reply"] {
            reasons.append("intent:\(signals.intent ?? "unknown")")
        }
        return RoutingDecision(
            route: route, priority: route == .ai ? .normal : priority, reasons: reasons,
            assignedAgent: signals.assignedAgent
        )
    }

    func holds(_ condition: RoutingRule.Condition, _ signals: RoutingSignals, unknown: Bool) -> Bool {
        switch condition {
        case .assignedToAgent: signals.assignedAgent != nil
        case .askedForHuman: signals.askedForHuman
        case .distressSevere: signals.distress == .severe
        case .distress: signals.distress != .none
        case .vip: signals.vip
        case .sensitive: signals.sensitive
        case .intentRequiresHuman: !unknown && signals.intentRoute.isHuman
        case .lowConfidence: unknown
        case .unsupportedLanguage: !signals.languageSupported
        case .repeatContact: signals.repeatContact
        }
    }

    func reason(for rule: RoutingRule, _ signals: RoutingSignals) -> String {
        switch rule.when {
        case .assignedToAgent: "assigned_agent"
        case .askedForHuman: "asked_for_human"
        case .distressSevere: "distress:severe"
        case .distress: "distress:\(signals.distress.rawValue)"
        case .vip: "vip"
        case .sensitive: "sensitive:\(signals.intent ?? "topic")"
        case .intentRequiresHuman: "intent:\(signals.intent ?? "unknown")"
        case .lowConfidence: signals.outOfScope ? "out_of_scope" : "low_confidence:\(Self.format(signals.confidence))"
        case .unsupportedLanguage: "language:\(signals.language)"
        case .repeatContact: "repeat_contact"
        }
    }

    static func format(_ confidence: Double) -> String {
        let hundredths = Int((confidence * 100).rounded())
        return "0.\(hundredths < 10 ? "0" : "")\(hundredths)".replacingOccurrences(of: "0.100", with: "1.00")
    }
}
