/// The figures of a set of conversations, per lane: what `conciergectl report` prints, `--json` writes and
/// `--prometheus` exposes. Computed from `ConversationOutcome` rows, never stored.
///
/// - `automation_rate`: AI-answered conversations / all conversations.
/// - `ai_resolution_rate`: resolved / AI-answered conversations whose outcome is settled (resolved, repeat, handed
///   off); pending ones are left out until their window closes. `null` when there is none.
/// - `repeat_inquiry_rate` per lane: conversations whose customer came back about the same intent in another
///   conversation within the window / the lane's settled conversations (pending ones left out).
/// - `handoffs_by_reason`: why conversations reached a person (the responder's hand-off reason, `asked_for_human`,
///   or the classifier's first reason).
/// - `first_response_ms`, `resolution_ms` per lane and `human_wait_ms`: nearest-rank p50 and p90 with their count.
/// - `csat` per lane: the average rating (1..5) and how many were given.
public struct OutcomeFigures: Sendable, Equatable, Encodable {
    public struct Percentiles: Sendable, Equatable, Encodable {
        public var count: Int
        public var p50: Int64?
        public var p90: Int64?

        public init(_ values: [Int64]) {
            let sorted = values.sorted()
            self.count = sorted.count
            self.p50 = Self.nearestRank(0.5, sorted)
            self.p90 = Self.nearestRank(0.9, sorted)
        }

        static func nearestRank(_ quantile: Double, _ sorted: [Int64]) -> Int64? {
            guard !sorted.isEmpty else { return nil }
            let rank = Int((quantile * Double(sorted.count)).rounded(.up))
            return sorted[min(sorted.count, max(1, rank)) - 1]
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(self.count, forKey: .count)
            try container.encode(self.p50, forKey: .p50)
            try container.encode(self.p90, forKey: .p90)
        }

        enum CodingKeys: String, CodingKey { case count, p50, p90 }
    }

    public struct Rating: Sendable, Equatable, Encodable {
        public var count: Int
        /// The average, rounded to two decimals; nil when no rating was given.
        public var average: Double?

        public init(count: Int, average: Double?) {
            self.count = count
            self.average = average
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(self.count, forKey: .count)
            try container.encode(self.average, forKey: .average)
        }

        enum CodingKeys: String, CodingKey { case count, average }
    }

    public typealias Lane = ConversationOutcome.Lane

    public var conversations: [Lane: Int]
    public var aiAnswered: Int
    public var outcomes: [ConversationOutcome.Outcome: Int]
    public var automationRate: Double?
    public var aiResolutionRate: Double?
    public var repeatInquiryRate: [Lane: Double?]
    public var handoffsByReason: [String: Int]
    public var firstResponse: [Lane: Percentiles]
    public var resolution: [Lane: Percentiles]
    public var humanWait: Percentiles
    public var slaBreaches: Int
    public var csat: [Lane: Rating]

    public var total: Int { self.conversations.values.reduce(0, +) }

    public init(_ rows: some Collection<ConversationOutcome>) {
        func rate(_ part: Int, _ whole: Int) -> Double? {
            whole == 0 ? nil : (Double(part) / Double(whole) * 10_000).rounded() / 10_000
        }
        self.conversations = Dictionary(
            uniqueKeysWithValues: Lane.allCases.map { lane in (lane, rows.count { $0.lane == lane }) })
        self.aiAnswered = rows.count(where: \.aiAnswered)
        self.outcomes = Dictionary(
            uniqueKeysWithValues: ConversationOutcome.Outcome.allCases.map { o in (o, rows.count { $0.outcome == o }) })
        self.automationRate = rate(self.aiAnswered, rows.count)
        let settled = rows.filter { $0.aiAnswered && $0.outcome != .pending }
        self.aiResolutionRate = rate(settled.count { $0.outcome == .resolved }, settled.count)
        var repeatRate: [Lane: Double?] = [:]
        var firstResponse: [Lane: Percentiles] = [:]
        var resolution: [Lane: Percentiles] = [:]
        var csat: [Lane: Rating] = [:]
        for lane in Lane.allCases {
            let inLane = rows.filter { $0.lane == lane }
            let closed = inLane.filter { $0.outcome != .pending }
            repeatRate[lane] = rate(closed.count(where: \.repeatContact), closed.count)
            firstResponse[lane] = Percentiles(inLane.compactMap(\.firstResponseMilliseconds))
            resolution[lane] = Percentiles(inLane.compactMap(\.resolutionMilliseconds))
            let ratings = inLane.compactMap(\.csat)
            csat[lane] = Rating(
                count: ratings.count,
                average: ratings.isEmpty
                    ? nil : (Double(ratings.reduce(0, +)) / Double(ratings.count) * 100).rounded() / 100
            )
        }
        self.repeatInquiryRate = repeatRate
        self.firstResponse = firstResponse
        self.resolution = resolution
        self.csat = csat
        var reasons: [String: Int] = [:]
        for row in rows { if let reason = row.handoffReason { reasons[reason, default: 0] += 1 } }
        self.handoffsByReason = reasons
        self.humanWait = Percentiles(rows.compactMap(\.humanWaitMilliseconds))
        self.slaBreaches = rows.count(where: \.slaBreached)
    }

    enum CodingKeys: String, CodingKey {
        case conversations, aiAnswered = "ai_answered", outcomes, automationRate = "automation_rate"
        case aiResolutionRate = "ai_resolution_rate", repeatInquiryRate = "repeat_inquiry_rate"
        case handoffsByReason = "handoffs_by_reason", firstResponse = "first_response_ms", resolution = "resolution_ms"
        case humanWait = "human_wait_ms", slaBreaches = "sla_breaches", csat
    }

    public func encode(to encoder: any Encoder) throws {
        func byLane<T>(_ values: [Lane: T]) -> [String: T] {
            Dictionary(uniqueKeysWithValues: values.map { ($0.key.rawValue, $0.value) })
        }
        var container = encoder.container(keyedBy: CodingKeys.self)
        var conversations = byLane(self.conversations)
        conversations["total"] = self.total
        try container.encode(conversations, forKey: .conversations)
        try container.encode(self.aiAnswered, forKey: .aiAnswered)
        try container.encode(
            Dictionary(uniqueKeysWithValues: self.outcomes.map { ($0.key.rawValue, $0.value) }), forKey: .outcomes)
        try container.encode(self.automationRate, forKey: .automationRate)
        try container.encode(self.aiResolutionRate, forKey: .aiResolutionRate)
        try container.encode(byLane(self.repeatInquiryRate), forKey: .repeatInquiryRate)
        try container.encode(self.handoffsByReason, forKey: .handoffsByReason)
        try container.encode(byLane(self.firstResponse), forKey: .firstResponse)
        try container.encode(byLane(self.resolution), forKey: .resolution)
        try container.encode(self.humanWait, forKey: .humanWait)
        try container.encode(self.slaBreaches, forKey: .slaBreaches)
        try container.encode(byLane(self.csat), forKey: .csat)
    }
}
