public import Foundation

/// Ranks the agents who could take a conversation: better rated and less loaded first, with a boost for newcomers so
/// new agents also get work, then whoever waited longest since their last offer.
///
/// Integer arithmetic in milli-stars: the rating is the mean CSAT smoothed towards `priorMilliStars` with the weight
/// of `priorWeight` ratings (a new agent starts at the prior, not at zero); the load penalty is
/// `loadPenaltyMilliStars × active / capacity`; agents with fewer than `newcomerAssignments` assignments get
/// `newcomerBoostMilliStars`.
public struct AgentRanking: Sendable, Hashable {
    /// An agent as the ranking sees it.
    public struct Candidate: Sendable, Hashable {
        public var agentID: String
        public var languages: [String]
        public var skills: [String]
        public var capacity: Int
        public var activeConversations: Int
        public var ratingSum: Int
        public var ratingCount: Int
        public var assignmentsTotal: Int
        public var lastOfferedAt: Date?

        public init(
            agentID: String, languages: [String], skills: [String], capacity: Int, activeConversations: Int,
            ratingSum: Int, ratingCount: Int, assignmentsTotal: Int, lastOfferedAt: Date?
        ) {
            self.agentID = agentID
            self.languages = languages
            self.skills = skills
            self.capacity = capacity
            self.activeConversations = activeConversations
            self.ratingSum = ratingSum
            self.ratingCount = ratingCount
            self.assignmentsTotal = assignmentsTotal
            self.lastOfferedAt = lastOfferedAt
        }

        public var hasSpareCapacity: Bool { self.activeConversations < self.capacity }
    }

    public var priorMilliStars = 4000
    public var priorWeight = 3
    public var loadPenaltyMilliStars = 1500
    public var newcomerAssignments = 10
    public var newcomerBoostMilliStars = 300
    /// A skill an agent needs for VIP conversations (empty: none).
    public var vipSkill = "vip"

    public init() {}

    /// The smoothed rating in milli-stars.
    public func ratingMilliStars(_ candidate: Candidate) -> Int {
        (candidate.ratingSum * 1000 + self.priorMilliStars * self.priorWeight)
            / max(1, candidate.ratingCount + self.priorWeight)
    }

    public func score(_ candidate: Candidate) -> Int {
        var score = self.ratingMilliStars(candidate)
        score -= self.loadPenaltyMilliStars * candidate.activeConversations / max(1, candidate.capacity)
        if candidate.assignmentsTotal < self.newcomerAssignments { score += self.newcomerBoostMilliStars }
        return score
    }

    /// Whether `candidate` can serve a conversation in `language` needing `skills`.
    public func fits(_ candidate: Candidate, language: String, skills: [String], vip: Bool) -> Bool {
        guard candidate.hasSpareCapacity, candidate.languages.contains(language) else { return false }
        guard skills.allSatisfy(candidate.skills.contains) else { return false }
        if vip && !self.vipSkill.isEmpty && !candidate.skills.contains(self.vipSkill) { return false }
        return true
    }

    /// The candidates who fit, best first.
    public func rank(
        _ candidates: [Candidate], language: String, skills: [String], vip: Bool, excluding excluded: Set<String> = []
    ) -> [Candidate] {
        candidates
            .filter { !excluded.contains($0.agentID) && self.fits($0, language: language, skills: skills, vip: vip) }
            .map { (candidate: $0, score: self.score($0)) }
            .sorted { lhs, rhs in
                if lhs.score != rhs.score { return lhs.score > rhs.score }
                let left = lhs.candidate.lastOfferedAt ?? .distantPast
                let right = rhs.candidate.lastOfferedAt ?? .distantPast
                if left != right { return left < right }
                return lhs.candidate.agentID < rhs.candidate.agentID
            }
            .map(\.candidate)
    }
}
