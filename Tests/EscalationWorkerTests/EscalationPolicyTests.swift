import ConciergeCore
import EscalationWorker
import Foundation
import Testing

/// The pure rules: classes, SLA, surge, eligibility, ranking, contracts.
@Suite struct EscalationPolicyTests {
    @Test(arguments: [
        (Priority.normal, false, ServiceClass.normal), (.high, false, .high), (.urgent, false, .urgent),
        (.normal, true, .vip), (.urgent, true, .vip),
    ])
    func serviceClassFromPriorityAndVIP(priority: Priority, vip: Bool, expected: ServiceClass) {
        #expect(ServiceClass(priority: priority, vip: vip) == expected)
    }

    @Test func classesAreOrderedVIPUrgentHighNormal() {
        #expect(ServiceClass.allCases.sorted(by: >) == [.vip, .urgent, .high, .normal])
        #expect(Set(ServiceClass.allCases.map(\.rank)).count == 4)
    }

    @Test func slaTargetsPerClass() {
        let sla = SLAPolicy.standard
        #expect(sla.target(for: .vip) == 60)
        #expect(sla.isBreached(.vip, waitedSeconds: 61))
        #expect(!sla.isBreached(.vip, waitedSeconds: 59))
        #expect(!sla.isBreached(.normal, waitedSeconds: 61))
        #expect(SLAPolicy(targetSeconds: [.vip: 5]).target(for: .normal) == 900)
    }

    @Test(arguments: [
        (0, 10, 10000), (5, 10, 10000), (10, 10, 11000), (14, 10, 11000), (15, 10, 12500), (20, 10, 15000),
        (29, 10, 15000), (30, 10, 20000), (1000, 10, 20000), (1, 0, 20000), (0, 0, 10000),
    ])
    func surgeIsStepwise(waiting: Int, available: Int, expected: Int) {
        #expect(SurgePolicy.standard.multiplier(waiting: waiting, available: available) == expected)
    }

    @Test func surgeIsCappedAndNeverBelowOne() {
        let policy = SurgePolicy(
            steps: [
                .init(ratioPercent: 300, multiplierBasisPoints: 30000),
                .init(ratioPercent: 100, multiplierBasisPoints: 9000),
            ],
            capBasisPoints: 17500
        )
        #expect(policy.multiplier(waiting: 10, available: 10) == 10000)
        #expect(policy.multiplier(waiting: 40, available: 10) == 17500)
        #expect(policy.steps.map(\.ratioPercent) == [100, 300])
    }

    @Test func eligibilityListsEveryFailedRule() {
        let rules = EligibilityRules(minimumCustomerDays: 90, minimumPurchases: 3, maximumOverdueInstalments: 0)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let old = now.addingTimeInterval(-100 * 86_400)
        let recent = now.addingTimeInterval(-10 * 86_400)
        #expect(rules.failures(.init(customerSince: old, purchases: 3, overdueInstalments: 0), now: now).isEmpty)
        #expect(
            rules.failures(.init(customerSince: recent, purchases: 1, overdueInstalments: 2), now: now)
                == ["customer_too_recent", "too_few_purchases", "overdue_instalments"]
        )
        #expect(
            rules.failures(.init(customerSince: old, purchases: 5, overdueInstalments: 1), now: now) == [
                "overdue_instalments"
            ])
    }

    func candidate(
        _ id: String, rating: (Int, Int) = (0, 0), active: Int = 0, capacity: Int = 2, assignments: Int = 50,
        languages: [String] = ["en"], skills: [String] = ["general"], lastOffered: Date? = nil
    ) -> AgentRanking.Candidate {
        .init(
            agentID: id, languages: languages, skills: skills, capacity: capacity, activeConversations: active,
            ratingSum: rating.0, ratingCount: rating.1, assignmentsTotal: assignments, lastOfferedAt: lastOffered
        )
    }

    @Test func rankingPrefersRatingThenLowerLoad() {
        let ranking = AgentRanking()
        let ranked = ranking.rank(
            [
                candidate("low", rating: (30, 10)), candidate("high", rating: (48, 10)),
                candidate("busy", rating: (48, 10), active: 1),
            ],
            language: "en", skills: ["general"], vip: false
        )
        #expect(ranked.map(\.agentID) == ["high", "busy", "low"])
    }

    @Test func newAgentsStartAtThePriorWithABoost() {
        var ranking = AgentRanking()
        let veteran = candidate("veteran", rating: (42, 10))  // 4.2 mean over 10 ratings
        let newcomer = candidate("newcomer", assignments: 0)  // prior 4.0 + newcomer boost
        #expect(ranking.ratingMilliStars(newcomer) == 4000)
        #expect(ranking.rank([veteran, newcomer], language: "en", skills: [], vip: false).first?.agentID == "newcomer")
        ranking.newcomerBoostMilliStars = 0
        #expect(ranking.rank([veteran, newcomer], language: "en", skills: [], vip: false).first?.agentID == "veteran")
    }

    @Test func matchingNeedsLanguageSkillsCapacityAndVIPSkill() {
        let ranking = AgentRanking()
        let pool = [
            candidate("german", languages: ["de"]), candidate("full", active: 2, capacity: 2),
            candidate("disputes", skills: ["general", "disputes"]), candidate("vip", skills: ["general", "vip"]),
        ]
        #expect(ranking.rank(pool, language: "de", skills: [], vip: false).map(\.agentID) == ["german"])
        #expect(ranking.rank(pool, language: "en", skills: ["disputes"], vip: false).map(\.agentID) == ["disputes"])
        #expect(ranking.rank(pool, language: "en", skills: ["general"], vip: true).map(\.agentID) == ["vip"])
        #expect(!ranking.rank(pool, language: "en", skills: [], vip: false).contains { $0.agentID == "full" })
        #expect(ranking.rank(pool, language: "en", skills: ["general"], vip: true, excluding: ["vip"]).isEmpty)
    }

    @Test func tiesGoToWhoeverWaitedLongestSinceAnOffer() {
        let ranking = AgentRanking()
        let now = Date()
        let ranked = ranking.rank(
            [
                candidate("recent", lastOffered: now), candidate("never"),
                candidate("earlier", lastOffered: now.addingTimeInterval(-60)),
            ],
            language: "en", skills: [], vip: false
        )
        #expect(ranked.map(\.agentID) == ["never", "earlier", "recent"])
    }

    @Test func agentEventsValidatePerEvent() throws {
        let at = "2026-11-27T10:00:00Z"
        #expect(throws: ContractError.self) {
            try AgentEventV1(messageID: "m1", agentID: "a1", event: .accept, sentAt: at).validate()
        }
        #expect(throws: ContractError.self) {
            try AgentEventV1(messageID: "m1", agentID: "a1", event: .decline, sentAt: at, offerID: "o1").validate()
        }
        #expect(throws: ContractError.self) {
            try AgentEventV1(
                messageID: "m1", agentID: "a1", event: .resolve, sentAt: at, conversationID: "c1", outcome: "maybe"
            ).validate()
        }
        #expect(throws: ContractError.self) {
            try AgentEventV1(messageID: "m1", agentID: "a.1", event: .online, sentAt: at).validate()
        }
        try AgentEventV1(messageID: "m1", agentID: "a1", event: .decline, sentAt: at, offerID: "o1", reason: "busy")
            .validate()
        let event = AgentEventV1(
            messageID: "m1", agentID: "a1", event: .resolve, sentAt: at, conversationID: "c1", outcome: "resolved")
        #expect(try ContractDecoder().decode(AgentEventV1.self, from: event.encodedBody()) == event)
        #expect(event.routingKey == "agent.a1.resolve")
    }

    @Test func applicationsAndOffersValidate() throws {
        let application = AgentAppliedV1(
            messageID: "m", customerID: "cus.1", languages: ["en"], skills: ["general"], capacity: 2, purchases: 1,
            overdueInstalments: 0, appliedAt: "2026-11-27T10:00:00Z"
        )
        #expect(application.resolvedAgentID == "agt_cus-1")
        try application.validate()
        var bad = application
        bad.capacity = 0
        #expect(throws: ContractError.self) { try bad.validate() }
        let offer = OfferV1(
            offerID: "e.offer.1", escalationID: "e", conversationID: "c", agentID: "a", attempt: 1, serviceClass: "vip",
            priority: .urgent, vip: true, language: "en", skills: ["vip"], intent: nil, complexity: "routine",
            surgeMultiplierBasisPoints: 12500, offeredAt: "2026-11-27T10:00:00Z", expiresAt: "2026-11-27T10:00:20Z"
        )
        #expect(try ContractDecoder().decode(OfferV1.self, from: offer.encodedBody()) == offer)
        #expect(OfferV1.routingKey(agentID: "a") == "offer.agent.a")
    }
}
