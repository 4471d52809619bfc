public import ConciergePostgres
import Foundation

/// The rest of `conciergectl report` after the outcome figures, over the whole database: routes, why inquiries went to
/// humans, time to an agent, VIP handling, escalations by state and SLA breaches, and the top agent earnings.
public struct FleetReport: Sendable, Equatable {
    /// A count of one kind (a route and priority, a reason, an escalation state).
    public struct Count: Sendable, Equatable {
        public var key: String
        public var count: Int

        public init(_ key: String, _ count: Int) {
            self.key = key
            self.count = count
        }
    }

    /// Seconds: p50, p90, p99, max, and how many.
    public struct Percentiles: Sendable, Equatable {
        public var p50: Double
        public var p90: Double
        public var p99: Double
        public var max: Double
        public var count: Int

        public init(p50: Double, p90: Double, p99: Double, max: Double, count: Int) {
            self.p50 = p50
            self.p90 = p90
            self.p99 = p99
            self.max = max
            self.count = count
        }
    }

    /// An agent's earnings in one currency over its open and closed periods.
    public struct Earnings: Sendable, Equatable {
        public var agentID: String
        public var currency: String
        public var earnings: Int
        /// The total as the view prints it (a decimal amount).
        public var total: String

        public init(agentID: String, currency: String, earnings: Int, total: String) {
            self.agentID = agentID
            self.currency = currency
            self.earnings = earnings
            self.total = total
        }
    }

    /// `route / priority` and how many decisions took it.
    public var routes: [Count]
    /// Classifier reasons of the non-AI routes (the part before `:`) and `handoff:<reason>` of AI hand-offs.
    public var humanReasons: [Count]
    /// Receipt of the first inquiry -> first response (or assignment) of the human lane; nil when none was assigned.
    public var timeToAgent: Percentiles?
    /// The same for VIPs.
    public var vipTimeToAgent: Percentiles?
    public var vipInquiries: Int
    public var vipInquiriesToHumans: Int
    public var escalationsByState: [Count]
    public var slaBreaches: Int
    /// The ten highest totals.
    public var topEarnings: [Earnings]

    public init(
        routes: [Count], humanReasons: [Count], timeToAgent: Percentiles?, vipTimeToAgent: Percentiles?,
        vipInquiries: Int,
        vipInquiriesToHumans: Int, escalationsByState: [Count], slaBreaches: Int, topEarnings: [Earnings]
    ) {
        self.routes = routes
        self.humanReasons = humanReasons
        self.timeToAgent = timeToAgent
        self.vipTimeToAgent = vipTimeToAgent
        self.vipInquiries = vipInquiries
        self.vipInquiriesToHumans = vipInquiriesToHumans
        self.escalationsByState = escalationsByState
        self.slaBreaches = slaBreaches
        self.topEarnings = topEarnings
    }

    public static func load(_ database: PostgresConnection) async throws -> FleetReport {
        func counts(_ sql: String) async throws -> [Count] {
            try await database.query(sql).map { Count(try $0.decode(named: "key"), try $0.decode(named: "count")) }
        }
        func count(_ sql: String) async throws -> Int { try await database.query(sql).single().decode(named: "count") }
        func percentiles(_ sql: String) async throws -> Percentiles? {
            let row = try await database.query(sql).single()
            guard let p50 = try row.decode(Double?.self, named: "p50") else { return nil }
            return Percentiles(
                p50: p50, p90: try row.decode(named: "p90"), p99: try row.decode(named: "p99"),
                max: try row.decode(named: "max"),
                count: try row.decode(named: "count")
            )
        }
        let statistics = """
            percentile_cont(0.5) WITHIN GROUP (ORDER BY s) AS p50, percentile_cont(0.9) WITHIN GROUP (ORDER BY s) AS p90,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY s) AS p99, max(s) AS max, count(*) AS count
            """
        let routes = try await database.query(
            "SELECT route, priority, count(*) AS count FROM routing_decisions GROUP BY 1, 2 ORDER BY 1, 2"
        ).map {
            Count(
                "\(try $0.decode(String.self, named: "route")) / \(try $0.decode(String.self, named: "priority"))",
                try $0.decode(named: "count"))
        }
        let humanReasons = try await counts(
            """
            SELECT kind AS key, count(*) AS count FROM (
                SELECT split_part(reason, ':', 1) AS kind FROM routing_decisions, unnest(reasons) AS reason WHERE route <> 'ai'
                UNION ALL SELECT 'handoff:' || reason FROM ai_handoffs
            ) reasons GROUP BY 1 ORDER BY 2 DESC, 1
            """
        )
        let timeToAgent = try await percentiles(
            """
            SELECT \(statistics) FROM (SELECT extract(epoch FROM coalesce(e.first_response_at, e.assigned_at) - min(i.received_at))::float8 AS s
                FROM escalations e JOIN inquiries i USING (conversation_id) WHERE e.assigned_at IS NOT NULL
                GROUP BY e.escalation_id, e.first_response_at, e.assigned_at) t
            """
        )
        let vipTimeToAgent = try await percentiles(
            """
            SELECT \(statistics) FROM (SELECT extract(epoch FROM coalesce(e.first_response_at, e.assigned_at) - min(i.received_at))::float8 AS s
                FROM escalations e JOIN inquiries i USING (conversation_id) WHERE e.assigned_at IS NOT NULL AND e.vip
                GROUP BY e.escalation_id, e.first_response_at, e.assigned_at) t
            """
        )
        let vipInquiries = try await count(
            "SELECT count(*) AS count FROM routing_decisions d JOIN customers c USING (customer_id) WHERE c.tier = 'vip'"
        )
        let vipInquiriesToHumans = try await count(
            "SELECT count(*) AS count FROM routing_decisions d JOIN customers c USING (customer_id) WHERE c.tier = 'vip' AND d.route <> 'ai'"
        )
        let escalations = try await counts(
            "SELECT state AS key, count(*) AS count FROM escalations GROUP BY 1 ORDER BY 1")
        let slaBreaches = try await count("SELECT count(*) AS count FROM escalations WHERE sla_breached")
        let earnings = try await database.query(
            "SELECT agent_id, currency, earnings, total::text AS total FROM payouts.agent_period_totals ORDER BY total_minor DESC, agent_id LIMIT 10"
        ).map {
            Earnings(
                agentID: try $0.decode(named: "agent_id"), currency: try $0.decode(named: "currency"),
                earnings: try $0.decode(named: "earnings"),
                total: try $0.decode(named: "total")
            )
        }
        return FleetReport(
            routes: routes, humanReasons: humanReasons, timeToAgent: timeToAgent, vipTimeToAgent: vipTimeToAgent,
            vipInquiries: vipInquiries,
            vipInquiriesToHumans: vipInquiriesToHumans, escalationsByState: escalations, slaBreaches: slaBreaches,
            topEarnings: earnings
        )
    }

    /// The report's text lines.
    public func lines() -> [String] {
        func percentiles(_ label: String, _ value: Percentiles?) -> String {
            guard let value else { return "  \(label): none" }
            return
                "  \(label): \(value.count) — p50 \(Self.format(value.p50))  p90 \(Self.format(value.p90))  p99 \(Self.format(value.p99))  max \(Self.format(value.max))"
        }
        var lines = ["routes:"]
        lines += self.routes.map { "  \($0.key): \($0.count)" }
        lines.append("why humans (classifier reasons, and AI hand-offs):")
        lines += self.humanReasons.map { "  \($0.key): \($0.count)" }
        lines.append("time to an agent (from receipt):")
        lines.append(percentiles("human lane, agent assigned", self.timeToAgent))
        lines.append(percentiles("VIP, agent assigned", self.vipTimeToAgent))
        lines.append("VIP inquiries:        \(self.vipInquiries), to a human first: \(self.vipInquiriesToHumans)")
        lines.append("escalations:")
        lines += self.escalationsByState.map { "  \($0.key): \($0.count)" }
        lines.append("  SLA breaches: \(self.slaBreaches)")
        lines.append("agent earnings (open and closed periods):")
        if self.topEarnings.isEmpty { lines.append("  none yet") }
        lines += self.topEarnings.map { "  \($0.agentID): \($0.total) \($0.currency) for \($0.earnings) earnings" }
        return lines
    }

    /// Seconds as `850 ms` below one second, `1.5 s` from one on.
    public static func format(_ seconds: Double) -> String {
        seconds < 1 ? "\(Int((seconds * 1000).rounded())) ms" : "\(String(format: "%.1f", seconds)) s"
    }
}
