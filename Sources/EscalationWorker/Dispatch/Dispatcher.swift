import ConciergeCore
public import ConciergePostgres
import ConciergeRuntime
import Foundation

/// The dispatcher's steps, each one short transaction that takes its rows with `FOR UPDATE SKIP LOCKED`, so several
/// dispatchers (one per escalation process) share the work without waiting on each other and without doing anything
/// twice. Timers are columns (`offers.expires_at`, `agents.last_seen_at`, `escalations.sla_due_at`), so whatever a
/// dead process left behind is picked up by the next tick of any other.
///
/// Limited to `settings.markets` when that is not empty (markets are independent dispatch pools).
public struct Dispatcher: Sendable {
    public let settings: EscalationSettings
    let metrics = EscalationMetrics.shared

    public init(settings: EscalationSettings) {
        self.settings = settings
    }

    /// What one tick did.
    public struct TickReport: Sendable, Hashable {
        public var expired = 0
        public var wentOffline = 0
        public var withdrawn = 0
        public var breaches = 0
        public var offered = 0
    }

    /// Runs every step once.
    public func tick(on database: PostgresConnection) async throws -> TickReport {
        var report = TickReport()
        report.expired = try await database.transaction { try self.expireOffers(in: $0) }
        (report.wentOffline, report.withdrawn) = try await database.transaction { try self.takeSilentAgentsOffline(in: $0) }
        report.breaches = try await database.transaction { try self.countBreaches(in: $0) }
        let pools = try await database.transaction { try self.poolStatus(in: $0) }
        if pools.values.contains(where: { $0.freeAgents > 0 && $0.waiting > 0 }) {
            report.offered = try await database.transaction { try self.offerWaiting(pools: pools, in: $0) }
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
        ).map { try $0.decode(String.self, at: 0) }
        var expired = 0
        for offerID in due {
            if try OfferRelease.release(offerID: offerID, as: "expired", reason: "timeout", in: transaction) { expired += 1 }
        }
        self.metrics.offer("expired", count: expired)
        return expired
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
        try PresenceLog.wentOffline(agentIDs: rows.map { try $0.decode(String.self, at: 1) }, in: transaction)
        var withdrawn = 0
        for row in rows {
            guard let offerID = try row.decode(String?.self, at: 0) else { continue }
            if try OfferRelease.release(offerID: offerID, as: "withdrawn", reason: "heartbeat_timeout", in: transaction) {
                withdrawn += 1
            }
        }
        self.metrics.offer("withdrawn", count: withdrawn)
        return (rows.count, withdrawn)
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
            if let serviceClass = ServiceClass(rawValue: try row.decode(String.self, at: 0)) {
                self.metrics.breaches[serviceClass]?.increment()
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
        for row in try transaction.query(
            """
            SELECT market, service_class, count(*) FROM escalations
            WHERE state IN ('waiting', 'offered') AND (cardinality($1::text[]) = 0 OR market = ANY($1::text[]))
            GROUP BY market, service_class
            """,
            [self.settings.markets]
        ) {
            let count = try row.decode(Int.self, at: 2)
            pools[try row.decode(String.self, at: 0), default: .init()].waiting += count
            if let serviceClass = ServiceClass(rawValue: try row.decode(String.self, at: 1)) {
                waitingByClass[serviceClass, default: 0] += count
            }
        }
        var online = 0
        var active = 0
        var capacity = 0
        for row in try transaction.query(
            """
            SELECT market,
                   count(*) FILTER (WHERE active_conversations < capacity),
                   count(*) FILTER (WHERE active_conversations < capacity AND pending_offer_id IS NULL),
                   count(*), coalesce(sum(active_conversations), 0), coalesce(sum(capacity), 0)
            FROM agents
            WHERE status = 'active' AND presence = 'online' AND last_seen_at > now() - $1::int * interval '1 millisecond'
              AND (cardinality($2::text[]) = 0 OR market = ANY($2::text[]))
            GROUP BY market
            """,
            [self.settings.heartbeatTimeoutMilliseconds, self.settings.markets]
        ) {
            let market = try row.decode(String.self, at: 0)
            pools[market, default: .init()].availableAgents = try row.decode(Int.self, at: 1)
            pools[market, default: .init()].freeAgents = try row.decode(Int.self, at: 2)
            online += try row.decode(Int.self, at: 3)
            active += try row.decode(Int.self, at: 4)
            capacity += try row.decode(Int.self, at: 5)
        }
        for market in pools.keys {
            pools[market]!.surgeBasisPoints = self.settings.surge.multiplier(
                waiting: pools[market]!.waiting, available: pools[market]!.availableAgents
            )
        }
        for serviceClass in ServiceClass.allCases {
            self.metrics.waiting[serviceClass]?.record(waitingByClass[serviceClass] ?? 0)
        }
        self.metrics.surge.record(pools.values.map(\.surgeBasisPoints).max() ?? SurgePolicy.baseBasisPoints)
        self.metrics.agentsOnline.record(online)
        self.metrics.utilisation.record(capacity == 0 ? 0 : Double(active) / Double(capacity))
        return pools
    }

    /// A waiting conversation as the dispatcher reads it.
    struct Waiting {
        var escalationID: String
        var conversationID: String
        var market: String
        var language: String
        var skills: [String]
        var intent: String?
        var priority: Priority
        var vip: Bool
        var serviceClass: String
        var complexity: String
        var offersMade: Int
        var waitedSeconds: Double
    }

    /// Offers waiting conversations, best class first then longest waiting, to the best-ranked free agent of their
    /// market who was not offered them before. A conversation nobody can take stays waiting.
    public func offerWaiting(pools: [String: PoolStatus], in transaction: PostgresTransaction) throws -> Int {
        var free: [String: [AgentRanking.Candidate]] = [:]
        for row in try transaction.query(
            """
            SELECT market, agent_id, languages, skills, capacity, active_conversations, rating_sum, rating_count,
                   assignments_total, last_offered_at
            FROM agents
            WHERE status = 'active' AND presence = 'online' AND pending_offer_id IS NULL AND active_conversations < capacity
              AND last_seen_at > now() - $1::int * interval '1 millisecond'
              AND (cardinality($2::text[]) = 0 OR market = ANY($2::text[]))
            """,
            [self.settings.heartbeatTimeoutMilliseconds, self.settings.markets]
        ) {
            free[try row.decode(String.self, at: 0), default: []].append(
                AgentRanking.Candidate(
                    agentID: try row.decode(String.self, at: 1), languages: try row.decode([String].self, at: 2),
                    skills: try row.decode([String].self, at: 3), capacity: try row.decode(Int.self, at: 4),
                    activeConversations: try row.decode(Int.self, at: 5), ratingSum: try row.decode(Int.self, at: 6),
                    ratingCount: try row.decode(Int.self, at: 7), assignmentsTotal: try row.decode(Int.self, at: 8),
                    lastOfferedAt: try row.decode(Date?.self, at: 9)
                )
            )
        }
        let markets = free.filter { !$0.value.isEmpty }.keys.sorted()
        guard !markets.isEmpty else { return 0 }
        let waiting = try transaction.query(
            """
            SELECT escalation_id, conversation_id, market, language, skills, intent, priority, vip, service_class,
                   complexity, offers_made, extract(epoch FROM now() - enqueued_at)::float8
            FROM escalations
            WHERE state = 'waiting' AND market = ANY($1::text[])
            ORDER BY class_rank DESC, enqueued_at, escalation_id
            LIMIT $2
            FOR UPDATE SKIP LOCKED
            """,
            [markets, self.settings.dispatchBatch]
        ).map { row in
            Waiting(
                escalationID: try row.decode(String.self, at: 0), conversationID: try row.decode(String.self, at: 1),
                market: try row.decode(String.self, at: 2), language: try row.decode(String.self, at: 3),
                skills: try row.decode([String].self, at: 4), intent: try row.decode(String?.self, at: 5),
                priority: Priority(rawValue: try row.decode(String.self, at: 6)) ?? .normal, vip: try row.decode(Bool.self, at: 7),
                serviceClass: try row.decode(String.self, at: 8), complexity: try row.decode(String.self, at: 9),
                offersMade: try row.decode(Int.self, at: 10), waitedSeconds: try row.decode(Double.self, at: 11)
            )
        }
        guard !waiting.isEmpty else { return 0 }
        var offeredBefore: [String: Set<String>] = [:]
        for row in try transaction.query(
            "SELECT escalation_id, agent_id FROM offers WHERE escalation_id = ANY($1::text[])", [waiting.map(\.escalationID)]
        ) {
            offeredBefore[try row.decode(String.self, at: 0), default: []].insert(try row.decode(String.self, at: 1))
        }

        var outgoing: [OutgoingMessage] = []
        for escalation in waiting {
            guard let candidates = free[escalation.market], !candidates.isEmpty else { continue }
            let ranked = self.settings.ranking.rank(
                candidates, language: escalation.language, skills: escalation.skills, vip: escalation.vip,
                excluding: offeredBefore[escalation.escalationID] ?? []
            )
            for candidate in ranked {
                // Whatever happens, this agent is no longer free for this tick.
                free[escalation.market]?.removeAll { $0.agentID == candidate.agentID }
                let attempt = escalation.offersMade + 1
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
                    RETURNING agent_id
                    """,
                    [candidate.agentID, offerID]
                )
                guard !claimed.isEmpty else { continue }
                let surge = pools[escalation.market]?.surgeBasisPoints ?? SurgePolicy.baseBasisPoints
                let times = try transaction.query(
                    """
                    INSERT INTO offers (offer_id, escalation_id, agent_id, attempt, state, surge_bp, expires_at)
                    VALUES ($1, $2, $3, $4, 'pending', $5, now() + $6::int * interval '1 millisecond')
                    RETURNING offered_at, expires_at
                    """,
                    [offerID, escalation.escalationID, candidate.agentID, attempt, surge, self.settings.offerTimeoutMilliseconds]
                )
                try transaction.execute(
                    """
                    UPDATE escalations SET state = 'offered', offers_made = offers_made + 1,
                           first_offer_at = coalesce(first_offer_at, now())
                    WHERE escalation_id = $1
                    """,
                    [escalation.escalationID]
                )
                let offer = OfferV1(
                    offerID: offerID, escalationID: escalation.escalationID, conversationID: escalation.conversationID,
                    agentID: candidate.agentID, attempt: attempt, serviceClass: escalation.serviceClass,
                    priority: escalation.priority, vip: escalation.vip, language: escalation.language, skills: escalation.skills,
                    intent: escalation.intent, complexity: escalation.complexity, surgeMultiplierBasisPoints: surge,
                    offeredAt: Timestamps.format(try times[0].decode(Date.self, at: 0)),
                    expiresAt: Timestamps.format(try times[0].decode(Date.self, at: 1))
                )
                outgoing.append(
                    OutgoingMessage(
                        offer, id: offerID, exchange: FleetNames.outcomesExchange,
                        routingKey: OfferV1.routingKey(agentID: candidate.agentID), mandatory: false
                    )
                )
                if attempt == 1 { self.metrics.timeToOffer.recordNanoseconds(EscalationMetrics.nanoseconds(escalation.waitedSeconds)) }
                break
            }
        }
        Outbox.write(outgoing, producer: EscalationWorker.dispatcherName, in: transaction)
        self.metrics.offer("offered", count: outgoing.count)
        return outgoing.count
    }
}
