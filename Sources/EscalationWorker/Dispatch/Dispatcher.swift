import ConciergeCore
public import ConciergePostgres
import ConciergeRuntime
import Foundation
import Metrics
import PayoutWorker

/// The dispatcher's steps, each one short transaction that takes its rows with `FOR UPDATE SKIP LOCKED`, so several
/// dispatchers (one per escalation process) share the work without waiting on each other and without doing anything
/// twice. Timers are columns (`offers.expires_at`, `agents.last_seen_at`, `escalations.sla_due_at`), so whatever a
/// dead process left behind is picked up by the next tick of any other.
///
/// Limited to `settings.markets` when that is not empty (markets are independent dispatch pools).
public struct Dispatcher: Sendable {
    public let settings: EscalationSettings
    let metrics: EscalationMetrics

    public init(settings: EscalationSettings, metrics: EscalationMetrics) {
        self.metrics = metrics
        self.settings = settings
    }

    /// What one tick did.
    public struct TickReport: Sendable, Hashable {
        public var expired = 0
        public var wentOffline = 0
        public var withdrawn = 0
        public var breaches = 0
        public var offered = 0
        public var released = 0
        public var nudged = 0
        public var reoffered = 0
        public var notices = 0
    }

    /// Runs every step once.
    public func tick(on database: PostgresConnection) async throws -> TickReport {
        var report = TickReport()
        report.expired = try await database.transaction { try self.expireOffers(in: $0) }
        (report.wentOffline, report.withdrawn) = try await database.transaction {
            try self.takeSilentAgentsOffline(in: $0)
        }
        report.released = try await database.transaction { try self.releaseAbsentAgents(in: $0) }
        let unanswered = try await database.transaction { try self.nudgeOrRequeueUnanswered(in: $0) }
        report.nudged = unanswered.nudged
        report.released += unanswered.requeued
        report.breaches = try await database.transaction { try self.countBreaches(in: $0) }
        let pools = try await database.transaction { try self.poolStatus(in: $0) }
        if pools.values.contains(where: { $0.freeAgents > 0 && $0.waiting > 0 }) {
            (report.offered, report.reoffered) = try await database.transaction {
                try self.offerWaiting(pools: pools, in: $0)
            }
        }
        if pools.values.contains(where: { $0.waiting > 0 }) {
            report.notices = try await database.transaction { try self.notifyWaiting(pools: pools, in: $0) }
        }
        return report
    }

    // MARK: Steps

    /// Expires pending offers whose time is up; their conversations go back to the line.
    public func expireOffers(in transaction: PostgresTransaction) throws -> Int {
        let due = try transaction.query(
            """
            SELECT o.offer_id FROM offers o JOIN agents a USING (agent_id)
            WHERE o.state = 'pending' AND o.expires_at <= now() AND (cardinality($1::text[]) = 0 OR a.market = ANY($1::text[]))
            ORDER BY o.expires_at LIMIT 500
            FOR UPDATE OF o SKIP LOCKED
            """,
            [self.settings.markets]
        ).map { try $0.decode(String.self, named: "offer_id") }
        var notices: [OutgoingMessage] = []
        let now = Date()
        for offerID in due {
            if let released = try OfferRelease.release(
                offerID: offerID, as: "expired", reason: "timeout", in: transaction)
            {
                notices.append(OfferRelease.notice(released, reason: "expired", at: now))
            }
        }
        Outbox.write(notices, producer: EscalationWorker.dispatcherName, in: transaction)
        self.metrics.after(transaction) { $0.offer(.expired, count: notices.count) }
        return notices.count
    }

    /// Takes agents whose heartbeat stopped offline and withdraws their pending offers.
    public func takeSilentAgentsOffline(in transaction: PostgresTransaction) throws -> (offline: Int, withdrawn: Int) {
        let rows = try transaction.query(
            """
            UPDATE agents SET presence = 'offline', updated_at = now()
            WHERE agent_id IN (
                SELECT agent_id FROM agents
                WHERE presence = 'online' AND last_seen_at < now() - $1::int * interval '1 millisecond'
                  AND (cardinality($2::text[]) = 0 OR market = ANY($2::text[]))
                LIMIT 500
                FOR UPDATE SKIP LOCKED
            )
            RETURNING pending_offer_id, agent_id
            """,
            [self.settings.heartbeatTimeoutMilliseconds, self.settings.markets]
        )
        try PresenceLog.wentOffline(
            agentIDs: rows.map { try $0.decode(String.self, named: "agent_id") }, in: transaction)
        var notices: [OutgoingMessage] = []
        let now = Date()
        for row in rows {
            guard let offerID = try row.decode(String?.self, named: "pending_offer_id") else { continue }
            if let released = try OfferRelease.release(
                offerID: offerID, as: "withdrawn", reason: "heartbeat_timeout", in: transaction)
            {
                notices.append(OfferRelease.notice(released, reason: "offline", at: now))
            }
        }
        Outbox.write(notices, producer: EscalationWorker.dispatcherName, in: transaction)
        self.metrics.after(transaction) { $0.offer(.withdrawn, count: notices.count) }
        return (rows.count, notices.count)
    }

    /// Agents offline for longer than the grace period give back their conversations: each goes to the front of the
    /// line (`AssignmentRelease`, reason `presence_lost`) and the capacity is freed.
    public func releaseAbsentAgents(in transaction: PostgresTransaction) throws -> Int {
        let due = try transaction.query(
            """
            SELECT s.conversation_id, s.agent_id FROM assignments s JOIN agents a USING (agent_id)
            WHERE s.state = 'active' AND a.presence = 'offline'
              AND coalesce(a.last_seen_at, s.assigned_at) < now() - $1::int * interval '1 millisecond'
              AND (cardinality($2::text[]) = 0 OR a.market = ANY($2::text[]))
            ORDER BY s.assigned_at LIMIT 200
            FOR UPDATE OF s SKIP LOCKED
            """,
            [self.settings.presenceGraceMilliseconds, self.settings.markets]
        )
        return try self.release(due, reason: .presenceLost, in: transaction)
    }

    /// Assignments whose customer has waited for the agent's reply: nudged once after `nudgeAfterSeconds`,
    /// re-queued (`no_reply`) after `requeueAfterSeconds`.
    public func nudgeOrRequeueUnanswered(in transaction: PostgresTransaction) throws -> (nudged: Int, requeued: Int) {
        let due = try transaction.query(
            """
            SELECT s.conversation_id, s.agent_id, s.assignment_id,
                   s.last_customer_at < now() - make_interval(secs => $2) AS requeue, now() AS now
            FROM assignments s JOIN agents a USING (agent_id)
            WHERE s.state = 'active' AND s.last_customer_at IS NOT NULL
              AND (s.last_agent_at IS NULL OR s.last_agent_at < s.last_customer_at)
              AND s.last_customer_at < now() - make_interval(secs => $1)
              AND (s.nudged_at IS NULL OR s.last_customer_at < now() - make_interval(secs => $2))
              AND (cardinality($3::text[]) = 0 OR a.market = ANY($3::text[]))
            ORDER BY s.last_customer_at LIMIT 200
            FOR UPDATE OF s SKIP LOCKED
            """,
            [self.settings.nudgeAfterSeconds, self.settings.requeueAfterSeconds, self.settings.markets]
        )
        var requeue: [PostgresRow] = []
        var nudges: [OutgoingMessage] = []
        var lines = TranscriptLines()
        for row in due {
            if try row.decode(Bool.self, named: "requeue") {
                requeue.append(row)
                continue
            }
            let conversationID = try row.decode(String.self, named: "conversation_id")
            let agentID = try row.decode(String.self, named: "agent_id")
            let assignmentID = try row.decode(String.self, named: "assignment_id")
            try transaction.execute("UPDATE assignments SET nudged_at = now() WHERE assignment_id = $1", [assignmentID])
            let notice = AgentNoticeV1(
                messageID:
                    "\(assignmentID).nudge.\(Int(try row.decode(Date.self, named: "now").timeIntervalSince1970))",
                agentID: agentID,
                kind: .nudge, reason: "no_reply", offerID: nil, conversationID: conversationID,
                at: Timestamps.format(try row.decode(Date.self, named: "now"))
            )
            nudges.append(
                OutgoingMessage(
                    notice, id: notice.messageID, exchange: FleetNames.outcomesExchange, routingKey: notice.routingKey,
                    mandatory: false))
            lines.append(
                conversationID: conversationID, customerID: "", messageID: notice.messageID, author: .system,
                authorID: "escalation",
                kind: "nudged", text: "\(agentID) reminded: the customer is waiting for an answer"
            )
        }
        lines.enqueue(in: transaction)
        Outbox.write(nudges, producer: EscalationWorker.dispatcherName, in: transaction)
        self.metrics.after(transaction) { $0.nudges.increment(by: nudges.count) }
        let requeued = try self.release(requeue, reason: .noReply, in: transaction)
        return (nudges.count, requeued)
    }

    /// Releases the assignments in `rows` (conversation id, agent id first).
    private func release(
        _ rows: some Sequence<PostgresRow>, reason: EscalationMetrics.Reassignment, in transaction: PostgresTransaction
    ) throws -> Int {
        var outgoing: [OutgoingMessage] = []
        var released = 0
        for row in rows {
            if let (_, notices) = try AssignmentRelease.release(
                conversationID: try row.decode(String.self, named: "conversation_id"),
                agentID: try row.decode(String.self, named: "agent_id"),
                reason: reason.rawValue,
                in: transaction
            ) {
                outgoing += notices
                released += 1
            }
        }
        Outbox.write(outgoing, producer: EscalationWorker.dispatcherName, in: transaction)
        self.metrics.after(transaction) { $0.reassigned(reason, count: released) }
        return released
    }

    /// Flags conversations still unassigned past their SLA target and counts the breaches.
    public func countBreaches(in transaction: PostgresTransaction) throws -> Int {
        let rows = try transaction.query(
            """
            UPDATE escalations SET sla_breached = true
            WHERE escalation_id IN (
                SELECT escalation_id FROM escalations
                WHERE state IN ('waiting', 'offered') AND NOT sla_breached AND sla_due_at < now()
                  AND (cardinality($1::text[]) = 0 OR market = ANY($1::text[]))
                LIMIT 1000
                FOR UPDATE SKIP LOCKED
            )
            RETURNING service_class
            """,
            [self.settings.markets]
        )
        for row in rows {
            if let serviceClass = ServiceClass(rawValue: try row.decode(String.self, named: "service_class")) {
                self.metrics.after(transaction) { $0.breaches[serviceClass]?.increment() }
            }
        }
        return rows.count
    }

    /// Demand and supply of one market.
    public struct PoolStatus: Sendable, Hashable {
        public var waiting = 0
        /// Online, active, heard from recently, with spare capacity (whether or not an offer is pending).
        public var availableAgents = 0
        /// Available and without a pending offer: could be offered something now.
        public var freeAgents = 0
        public var surgeBasisPoints = SurgePolicy.baseBasisPoints
    }

    /// Demand, supply and surge per market; also updates the line, surge and utilisation gauges.
    public func poolStatus(in transaction: PostgresTransaction) throws -> [String: PoolStatus] {
        var pools: [String: PoolStatus] = [:]
        var waitingByClass: [ServiceClass: Int] = [:]
        var oldestByClass: [ServiceClass: Double] = [:]
        for row in try transaction.query(
            """
            SELECT market, service_class, count(*) AS waiting, max(extract(epoch FROM now() - enqueued_at))::float8 AS oldest_seconds
            FROM escalations
            WHERE state IN ('waiting', 'offered') AND (cardinality($1::text[]) = 0 OR market = ANY($1::text[]))
            GROUP BY market, service_class
            """,
            [self.settings.markets]
        ) {
            let count = try row.decode(Int.self, named: "waiting")
            pools[try row.decode(String.self, named: "market"), default: .init()].waiting += count
            if let serviceClass = ServiceClass(rawValue: try row.decode(String.self, named: "service_class")) {
                waitingByClass[serviceClass, default: 0] += count
                oldestByClass[serviceClass] = max(
                    oldestByClass[serviceClass] ?? 0, try row.decode(Double.self, named: "oldest_seconds"))
            }
        }
        var online = 0
        var active = 0
        var capacity = 0
        for row in try transaction.query(
            """
            SELECT market,
                   count(*) FILTER (WHERE active_conversations < capacity) AS available,
                   count(*) FILTER (WHERE active_conversations < capacity AND pending_offer_id IS NULL) AS free,
                   count(*) AS online, coalesce(sum(active_conversations), 0) AS active, coalesce(sum(capacity), 0) AS total_capacity
            FROM agents
            WHERE status = 'active' AND presence = 'online' AND last_seen_at > now() - $1::int * interval '1 millisecond'
              AND (cardinality($2::text[]) = 0 OR market = ANY($2::text[]))
            GROUP BY market
            """,
            [self.settings.heartbeatTimeoutMilliseconds, self.settings.markets]
        ) {
            let market = try row.decode(String.self, named: "market")
            pools[market, default: .init()].availableAgents = try row.decode(Int.self, named: "available")
            pools[market, default: .init()].freeAgents = try row.decode(Int.self, named: "free")
            online += try row.decode(Int.self, named: "online")
            active += try row.decode(Int.self, named: "active")
            capacity += try row.decode(Int.self, named: "total_capacity")
        }
        for market in pools.keys {
            pools[market]!.surgeBasisPoints = self.settings.surge.multiplier(
                waiting: pools[market]!.waiting, available: pools[market]!.availableAgents
            )
        }
        for serviceClass in ServiceClass.allCases {
            self.metrics.after(transaction) { $0.waiting[serviceClass]?.record(waitingByClass[serviceClass] ?? 0) }
            self.metrics.after(transaction) { $0.oldestWaiting[serviceClass]?.record(oldestByClass[serviceClass] ?? 0) }
        }
        self.metrics.after(transaction) {
            $0.surge.record(pools.values.map(\.surgeBasisPoints).max() ?? SurgePolicy.baseBasisPoints)
        }
        self.metrics.after(transaction) { $0.agentsOnline.record(online) }
        self.metrics.after(transaction) { $0.utilisation.record(capacity == 0 ? 0 : Double(active) / Double(capacity)) }
        return pools
    }

    /// A waiting conversation as the dispatcher reads it.
    struct Waiting {
        var escalationID: String
        var conversationID: String
        var customerID: String
        var market: String
        var language: String
        var skills: [String]
        var intent: String?
        var priority: Priority
        var vip: Bool
        var serviceClass: ServiceClass
        var complexity: String
        var offersMade: Int
        var waitedSeconds: Double
        var round: Int
        var preview: String
        var excludedAgentID: String?
        /// Seconds since the last offer of this conversation ended (nil: never offered in this round).
        var sinceLastOffer: Double?
        /// Offers of it still pending (a premium conversation is topped up while fewer than its parallel offers are).
        var pendingOffers = 0
    }

    /// Offers waiting conversations — the front of the line (released conversations) first, then by class, then
    /// longest waiting — to the best-ranked free agents of their market not asked in this round: one agent, or
    /// `parallelOffers` at once for the premium classes (VIP, urgent), with the class's offer window. After
    /// `widenAfterSeconds` the required skills are relaxed (language and the VIP requirement stay); after
    /// `fallbackAfterSeconds` staff agents are candidates too. When everyone eligible has been asked in this round,
    /// a new round starts after `reofferCooldownMilliseconds`. A premium conversation whose offers were declined while
    /// another is still pending is topped up to `parallelOffers` pending offers at once, so it never waits out one
    /// ignored offer's window after the others said no. Returns the offers made and the rounds started.
    public func offerWaiting(pools: [String: PoolStatus], in transaction: PostgresTransaction) throws -> (
        offered: Int, reoffered: Int
    ) {
        var free: [String: [(candidate: AgentRanking.Candidate, staff: Bool)]] = [:]
        for row in try transaction.query(
            """
            SELECT market, agent_id, languages, skills, capacity, active_conversations, rating_sum, rating_count,
                   assignments_total, last_offered_at, kind = 'staff' AS staff
            FROM agents
            WHERE status = 'active' AND presence = 'online' AND pending_offer_id IS NULL AND active_conversations < capacity
              AND last_seen_at > now() - $1::int * interval '1 millisecond'
              AND (cardinality($2::text[]) = 0 OR market = ANY($2::text[]))
            """,
            [self.settings.heartbeatTimeoutMilliseconds, self.settings.markets]
        ) {
            free[try row.decode(String.self, named: "market"), default: []].append(
                (
                    AgentRanking.Candidate(
                        agentID: try row.decode(String.self, named: "agent_id"),
                        languages: try row.decode([String].self, named: "languages"),
                        skills: try row.decode([String].self, named: "skills"),
                        capacity: try row.decode(Int.self, named: "capacity"),
                        activeConversations: try row.decode(Int.self, named: "active_conversations"),
                        ratingSum: try row.decode(Int.self, named: "rating_sum"),
                        ratingCount: try row.decode(Int.self, named: "rating_count"),
                        assignmentsTotal: try row.decode(Int.self, named: "assignments_total"),
                        lastOfferedAt: try row.decode(Date?.self, named: "last_offered_at")
                    ),
                    try row.decode(Bool.self, named: "staff")
                )
            )
        }
        let markets = free.filter { !$0.value.isEmpty }.keys.sorted()
        guard !markets.isEmpty else { return (0, 0) }
        let waiting = try transaction.query(
            """
            SELECT escalation_id, conversation_id, customer_id, market, language, skills, intent, priority, vip, service_class,
                   complexity, offers_made, extract(epoch FROM now() - enqueued_at)::float8 AS waited_seconds, offer_round, preview,
                   excluded_agent_id, extract(epoch FROM now() - last_offer_at)::float8 AS since_last_offer_seconds,
                   (SELECT count(*)::int FROM offers o WHERE o.escalation_id = e.escalation_id AND o.state = 'pending') AS pending_offers
            FROM escalations e
            WHERE market = ANY($1::text[])
              AND (state = 'waiting'
                   OR (state = 'offered' AND service_class = ANY($3::text[])
                       AND (SELECT count(*) FROM offers o WHERE o.escalation_id = e.escalation_id AND o.state = 'pending') < $4))
            ORDER BY front_of_line DESC, class_rank DESC, enqueued_at, escalation_id
            LIMIT $2
            FOR UPDATE SKIP LOCKED
            """,
            [
                markets, self.settings.dispatchBatch, self.settings.premiumClasses.map(\.rawValue).sorted(),
                self.settings.premiumParallelOffers,
            ]
        ).map { row in
            Waiting(
                escalationID: try row.decode(String.self, named: "escalation_id"),
                conversationID: try row.decode(String.self, named: "conversation_id"),
                customerID: try row.decode(String.self, named: "customer_id"),
                market: try row.decode(String.self, named: "market"),
                language: try row.decode(String.self, named: "language"),
                skills: try row.decode([String].self, named: "skills"),
                intent: try row.decode(String?.self, named: "intent"),
                priority: Priority(rawValue: try row.decode(String.self, named: "priority")) ?? .normal,
                vip: try row.decode(Bool.self, named: "vip"),
                serviceClass: ServiceClass(rawValue: try row.decode(String.self, named: "service_class")) ?? .normal,
                complexity: try row.decode(String.self, named: "complexity"),
                offersMade: try row.decode(Int.self, named: "offers_made"),
                waitedSeconds: try row.decode(Double.self, named: "waited_seconds"),
                round: try row.decode(Int.self, named: "offer_round"),
                preview: try row.decode(String.self, named: "preview"),
                excludedAgentID: try row.decode(String?.self, named: "excluded_agent_id"),
                sinceLastOffer: try row.decode(Double?.self, named: "since_last_offer_seconds"),
                pendingOffers: try row.decode(Int.self, named: "pending_offers")
            )
        }
        guard !waiting.isEmpty else { return (0, 0) }
        var offeredThisRound: [String: Set<String>] = [:]
        for row in try transaction.query(
            """
            SELECT o.escalation_id, o.agent_id FROM offers o JOIN escalations e USING (escalation_id)
            WHERE o.escalation_id = ANY($1::text[]) AND o.round = e.offer_round
            """,
            [waiting.map(\.escalationID)]
        ) {
            offeredThisRound[try row.decode(String.self, named: "escalation_id"), default: []].insert(
                try row.decode(String.self, named: "agent_id"))
        }

        var outgoing: [OutgoingMessage] = []
        var lines = TranscriptLines()
        var newRounds: [String] = []
        var offered = 0
        for escalation in waiting {
            guard let pool = free[escalation.market], !pool.isEmpty else { continue }
            let fallback = escalation.waitedSeconds >= Double(self.settings.fallbackAfterSeconds)
            let candidates = pool.filter { fallback || !$0.staff }.map(\.candidate)
            let skills = escalation.waitedSeconds >= Double(self.settings.widenAfterSeconds) ? [] : escalation.skills
            var excluded = offeredThisRound[escalation.escalationID] ?? []
            if let agent = escalation.excludedAgentID { excluded.insert(agent) }
            let ranked = self.settings.ranking.rank(
                candidates, language: escalation.language, skills: skills, vip: escalation.vip, excluding: excluded
            )
            // A premium conversation with offers still out: only top them up (a new round waits until none is out).
            if ranked.isEmpty && escalation.pendingOffers > 0 { continue }
            if ranked.isEmpty {
                // Everyone who could take it was asked in this round: start another after the cooldown.
                let askedAll = !self.settings.ranking.rank(
                    candidates, language: escalation.language, skills: skills, vip: escalation.vip,
                    excluding: escalation.excludedAgentID.map { [$0] } ?? []
                ).isEmpty
                if askedAll, let since = escalation.sinceLastOffer,
                    since * 1000 >= Double(self.settings.reofferCooldownMilliseconds)
                {
                    newRounds.append(escalation.escalationID)
                }
                continue
            }
            let surge = pools[escalation.market]?.surgeBasisPoints ?? SurgePolicy.baseBasisPoints
            let pay = self.pay(escalation, surge: surge)
            let wanted = self.settings.parallelOffers(for: escalation.serviceClass) - escalation.pendingOffers
            guard wanted > 0 else { continue }
            let timeout = self.settings.offerTimeoutMilliseconds(for: escalation.serviceClass)
            var made = 0
            for candidate in ranked where made < wanted {
                // Whatever happens, this agent is no longer free for this tick.
                free[escalation.market]?.removeAll { $0.candidate.agentID == candidate.agentID }
                let attempt = escalation.offersMade + made + 1
                let offerID = "\(escalation.escalationID).offer.\(attempt)"
                let claimed = try transaction.query(
                    """
                    UPDATE agents SET pending_offer_id = $2, last_offered_at = now(), updated_at = now()
                    WHERE agent_id = (
                        SELECT agent_id FROM agents
                        WHERE agent_id = $1 AND status = 'active' AND presence = 'online' AND pending_offer_id IS NULL
                          AND active_conversations < capacity
                        FOR UPDATE SKIP LOCKED
                    )
                    RETURNING kind = 'staff' AS staff
                    """,
                    [candidate.agentID, offerID]
                )
                guard let claim = claimed.first else { continue }
                let times = try transaction.query(
                    """
                    INSERT INTO offers (offer_id, escalation_id, agent_id, attempt, state, surge_bp, expires_at, round,
                                        pay_minor, pay_currency, pay_model, pay_rate_per_hour_minor)
                    VALUES ($1, $2, $3, $4, 'pending', $5, now() + $6::int * interval '1 millisecond', $7, $8, $9, $10, $11)
                    RETURNING offered_at, expires_at
                    """,
                    [
                        offerID, escalation.escalationID, candidate.agentID, attempt, surge, timeout, escalation.round,
                        pay?.amountMinor, pay?.currency, pay?.model, pay?.ratePerHourMinor,
                    ]
                ).single()
                let offer = OfferV1(
                    offerID: offerID, escalationID: escalation.escalationID, conversationID: escalation.conversationID,
                    agentID: candidate.agentID, attempt: attempt, serviceClass: escalation.serviceClass.rawValue,
                    priority: escalation.priority, vip: escalation.vip, language: escalation.language, skills: skills,
                    intent: escalation.intent, complexity: escalation.complexity, surgeMultiplierBasisPoints: surge,
                    offeredAt: Timestamps.format(try times.decode(Date.self, named: "offered_at")),
                    expiresAt: Timestamps.format(try times.decode(Date.self, named: "expires_at")),
                    preview: escalation.preview, waitedSeconds: Int(escalation.waitedSeconds), pay: pay
                )
                outgoing.append(
                    OutgoingMessage(
                        offer, id: offerID, exchange: FleetNames.outcomesExchange,
                        routingKey: OfferV1.routingKey(agentID: candidate.agentID), mandatory: false
                    )
                )
                lines.append(
                    conversationID: escalation.conversationID, customerID: escalation.customerID, messageID: offerID,
                    author: .system, authorID: "escalation", kind: "offered",
                    text: "offered to \(candidate.agentID) (round \(escalation.round))"
                )
                if try claim.decode(Bool.self, named: "staff") {
                    self.metrics.after(transaction) { $0.fallbacks.increment() }
                }
                made += 1
            }
            guard made > 0 else { continue }
            try transaction.execute(
                """
                UPDATE escalations SET state = 'offered', offers_made = offers_made + $2,
                       first_offer_at = coalesce(first_offer_at, now())
                WHERE escalation_id = $1
                """,
                [escalation.escalationID, made]
            )
            try transaction.execute(
                "UPDATE conversations SET status = 'offered', updated_at = now() WHERE conversation_id = $1 AND status = 'waiting'",
                [escalation.conversationID]
            )
            if escalation.offersMade == 0 {
                self.metrics.after(transaction) {
                    $0.timeToOffer.recordNanoseconds(EscalationMetrics.nanoseconds(escalation.waitedSeconds))
                }
            }
            offered += made
        }
        if !newRounds.isEmpty {
            try transaction.execute(
                "UPDATE escalations SET offer_round = offer_round + 1 WHERE escalation_id = ANY($1::text[])",
                [newRounds]
            )
            self.metrics.after(transaction) { $0.reoffers.increment(by: newRounds.count) }
        }
        lines.enqueue(in: transaction)
        Outbox.write(outgoing, producer: EscalationWorker.dispatcherName, in: transaction)
        self.metrics.after(transaction) { $0.offer(.offered, count: offered) }
        return (offered, newRounds.count)
    }

    /// What resolving the conversation pays under the rate card in force: base + VIP premium + surge.
    func pay(_ escalation: Waiting, surge: Int) -> OfferV1.Pay? {
        guard let card = self.settings.rateCards?.card(market: escalation.market, at: Date()),
            let complexity = ComplexityTier(rawValue: escalation.complexity)
        else { return nil }
        return Self.pay(card: card, complexity: complexity, vip: escalation.vip, surge: surge, at: Date())
    }

    /// What an offer tells the agent under `card`: the fee resolving it earns (none on the hourly model) and, on the
    /// hourly and hybrid models, the hourly rate or guaranteed minimum. Nil when the fee cannot be computed.
    static func pay(card: RateCard, complexity: ComplexityTier, vip: Bool, surge: Int, at now: Date) -> OfferV1.Pay? {
        let fee: Int64
        if card.payModel.paysPerResolution {
            guard
                let earning = try? PayoutPricing.resolutionEarning(
                    .init(
                        resolved: true, complexity: complexity, vip: vip, surge: BasisPoints(Int64(surge)),
                        resolvedAt: now), card: card
                )
            else { return nil }
            fee = earning.total.minorUnits
        } else {
            fee = 0
        }
        let rate: Int64? =
            switch card.payModel {
            case .perResolution: nil
            case .hourly(let ratePerHour): ratePerHour
            case .hybrid(let minimumPerHour): minimumPerHour
            }
        return OfferV1.Pay(
            amountMinor: fee, currency: card.currency.code, model: card.payModel.name, rateCardVersion: card.version,
            ratePerHourMinor: rate
        )
    }

    /// Tells customers in the line their place and expected wait (`conversation_update.v1` `waiting`): when they
    /// join, and again when the expected wait changed by at least 2 minutes and at least a quarter, at most every
    /// `notifyMinimumIntervalSeconds`. Expected wait = position x `notifyHandleTimeSeconds` / the online agents'
    /// capacity in the market, in whole minutes (at least 1).
    public func notifyWaiting(pools: [String: PoolStatus], in transaction: PostgresTransaction) throws -> Int {
        let rows = try transaction.query(
            """
            WITH line AS (
                SELECT escalation_id, conversation_id, customer_id, market, language, channel, notices_sent,
                       notified_eta_minutes, notified_at, state,
                       row_number() OVER (PARTITION BY market ORDER BY front_of_line DESC, class_rank DESC, enqueued_at, escalation_id) AS position
                FROM escalations
                WHERE state IN ('waiting', 'offered') AND (cardinality($1::text[]) = 0 OR market = ANY($1::text[]))
            ),
            capacity AS (
                SELECT market, coalesce(sum(capacity), 0) AS slots FROM agents
                WHERE status = 'active' AND presence = 'online' GROUP BY market
            )
            SELECT l.escalation_id, l.conversation_id, l.customer_id, l.language, l.channel, l.notices_sent, l.position,
                   greatest(1, ceil(l.position * $2::float8 / (60 * greatest(1, coalesce(c.slots, 0)))))::int AS eta,
                   l.notified_eta_minutes, coalesce(l.notified_at < now() - make_interval(secs => $3), true) AS interval_passed,
                   now() AS now
            FROM line l LEFT JOIN capacity c USING (market)
            ORDER BY l.market, l.position
            LIMIT 2000
            """,
            [self.settings.markets, self.settings.notifyHandleTimeSeconds, self.settings.notifyMinimumIntervalSeconds]
        )
        var outgoing: [OutgoingMessage] = []
        var lines = TranscriptLines()
        var notified: [String] = []
        var etas: [Int] = []
        for row in rows {
            let eta = try row.decode(Int.self, named: "eta")
            let last = try row.decode(Int?.self, named: "notified_eta_minutes")
            let intervalPassed = try row.decode(Bool.self, named: "interval_passed")
            let material = last.map { abs(eta - $0) >= max(2, $0 / 4) } ?? true
            guard material && intervalPassed else { continue }
            let escalationID = try row.decode(String.self, named: "escalation_id")
            let conversationID = try row.decode(String.self, named: "conversation_id")
            let customerID = try row.decode(String.self, named: "customer_id")
            let language = try row.decode(String.self, named: "language")
            let position = try row.decode(Int.self, named: "position")
            let number = try row.decode(Int.self, named: "notices_sent") + 1
            let text = CustomerPhrases(code: language).waiting(position: position, etaMinutes: eta)
            let update = ConversationUpdateV1(
                messageID: "\(escalationID).waiting.\(number)", conversationID: conversationID, customerID: customerID,
                channel: try row.decode(String.self, named: "channel"), language: language, kind: .waiting, text: text,
                position: position, etaMinutes: eta, sentAt: Timestamps.format(try row.decode(Date.self, named: "now"))
            )
            outgoing.append(
                OutgoingMessage(
                    update, id: update.messageID, exchange: FleetNames.outcomesExchange, routingKey: update.routingKey,
                    mandatory: false))
            lines.append(
                conversationID: conversationID, customerID: customerID, messageID: update.messageID, author: .system,
                authorID: "escalation", kind: "waiting",
                text: "told the customer: number \(position) in line, about \(eta) min"
            )
            notified.append(escalationID)
            etas.append(eta)
        }
        guard !notified.isEmpty else { return 0 }
        try transaction.execute(
            """
            UPDATE escalations e SET notices_sent = notices_sent + 1, notified_eta_minutes = u.eta, notified_at = now()
            FROM unnest($1::text[], $2::int[]) AS u(escalation_id, eta) WHERE e.escalation_id = u.escalation_id
            """,
            [notified, etas]
        )
        lines.enqueue(in: transaction)
        Outbox.write(outgoing, producer: EscalationWorker.dispatcherName, in: transaction)
        self.metrics.after(transaction) { $0.waitingNotices.increment(by: outgoing.count) }
        return outgoing.count
    }
}
