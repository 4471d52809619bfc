import ConciergeCore
import ConciergeSupport
import Testing

@Suite struct RoutingPolicyTests {
    let policy = RoutingPolicy.standard

    @Test func routineQuestionGoesToTheAI() {
        let decision = policy.decide(RoutingSignals(intent: "payment_status", confidence: 0.93))
        #expect(decision.route == .ai)
        #expect(decision.reasons == ["intent:payment_status"])
    }

    @Test func vipGoesToAHumanFirstWithPriority() {
        let decision = policy.decide(RoutingSignals(intent: "payment_status", confidence: 0.93, vip: true))
        #expect(decision.route == .humanPriority)
        #expect(decision.priority == .high)
        #expect(decision.reasons == ["vip"])
    }

    @Test func askingForAPersonGoesToAHuman() {
        let decision = policy.decide(RoutingSignals(intent: "refund_status", confidence: 0.8, askedForHuman: true))
        #expect(decision.route == .human)
        #expect(decision.reasons.contains("asked_for_human"))
    }

    @Test func outOfScopeGoesToAHumanWithItsReason() {
        let decision = policy.decide(RoutingSignals(intent: nil, confidence: 0.97, outOfScope: true))
        #expect(decision.route == .human)
        #expect(decision.reasons == ["out_of_scope"])
    }

    /// Whatever an operator removes from the rules, an out-of-scope inquiry (even one that somehow kept an intent
    /// name) never goes to the AI.
    @Test func outOfScopeNeverGoesToTheAIWithoutRules() {
        var bare = policy
        bare.rules = []
        for intent in [nil, "payment_status"] {
            let decision = bare.decide(RoutingSignals(intent: intent, confidence: 0.99, outOfScope: true))
            #expect(decision.route == .human)
            #expect(decision.reasons.contains { $0.hasPrefix("unknown_guard:") }, "\(decision.reasons)")
        }
    }

    @Test func lowConfidenceIsUnknownAndGoesToAHuman() {
        let decision = policy.decide(RoutingSignals(intent: "refund_status", confidence: 0.41))
        #expect(decision.route == .human)
        #expect(decision.reasons.contains("low_confidence:0.41"))
    }

    @Test func sensitiveIntentUsesTheCatalogRoute() {
        let decision = policy.decide(
            RoutingSignals(intent: "dispute_purchase", confidence: 0.9, intentRoute: .human, sensitive: true))
        #expect(decision.route == .human)
        #expect(decision.reasons.contains("intent:dispute_purchase"))
    }

    @Test func severeDistressIsUrgent() {
        let decision = policy.decide(RoutingSignals(intent: "payment_failed", confidence: 0.9, distress: .severe))
        #expect(decision.route == .humanPriority)
        #expect(decision.priority == .urgent)
    }

    @Test func unsupportedLanguageAndRepeatContactGoToHumans() {
        let french = policy.decide(
            RoutingSignals(intent: "payment_status", confidence: 0.9, language: "fr", languageSupported: false))
        #expect(french.route == .human)
        #expect(french.reasons == ["language:fr"])
        let repeated = policy.decide(RoutingSignals(intent: "payment_status", confidence: 0.9, repeatContact: true))
        #expect(repeated.reasons == ["repeat_contact"])
    }

    @Test func followUpKeepsItsAgent() {
        let decision = policy.decide(RoutingSignals(intent: "payment_status", confidence: 0.9, assignedAgent: "agt_7"))
        #expect(decision.route == .human)
        #expect(decision.assignedAgent == "agt_7")
    }

    /// The property the product depends on: whatever the rules (any subset, any order, any targets, including rules
    /// that route to the AI) and whatever the signals, a sensitive or unknown inquiry never goes to the AI.
    @Test func sensitiveOrUnknownIsNeverRoutedToTheAI() {
        var generator = SplitMix64(seed: 0x5eed)
        let conditions = RoutingRule.Condition.allCases
        let targets: [RoutingRule.Target] = [.ai, .human, .humanPriority, .fromIntent]
        for _ in 0..<20_000 {
            let rules = (0..<Int.random(in: 0...8, using: &generator)).map { index in
                RoutingRule(
                    name: "r\(index)", when: conditions.randomElement(using: &generator)!,
                    route: targets.randomElement(using: &generator)!
                )
            }
            let policy = RoutingPolicy(
                rules: rules, confidenceThreshold: 0.5, aiLanguages: ["en"], repeatContactWindowMinutes: 60)
            let signals = RoutingSignals(
                intent: Bool.random(using: &generator) ? "some_intent" : nil,
                confidence: Double.random(in: 0...1, using: &generator),
                intentRoute: Route.allCases.randomElement(using: &generator)!,
                sensitive: Bool.random(using: &generator),
                askedForHuman: Bool.random(using: &generator),
                distress: Distress.allCases.randomElement(using: &generator)!,
                vip: Bool.random(using: &generator),
                language: "en",
                languageSupported: Bool.random(using: &generator),
                repeatContact: Bool.random(using: &generator),
                assignedAgent: Bool.random(using: &generator) ? "agt_1" : nil
            )
            let decision = policy.decide(signals)
            let unknown = signals.intent == nil || signals.confidence < 0.5
            if signals.sensitive || unknown {
                #expect(decision.route != .ai, "rules \(rules) signals \(signals)")
            }
            #expect(!decision.reasons.isEmpty)
        }
    }
}
