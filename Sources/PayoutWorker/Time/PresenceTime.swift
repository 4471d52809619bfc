public import ConciergePostgres
public import Foundation

/// Time online per agent, market and rate-card version within a period, from `agent_presence_sessions` (written by
/// the escalation worker from the database clock).
///
/// A session counts from the later of its start and the period's start to the earliest of its end, the period's
/// end and the cutoff (the close time when a period is closed early); a session still open counts up to the cutoff.
/// Overlapping sessions are merged; stretches when the agent was paused or suspended (``unavailableStretches``) are
/// cut out: pay is for time online *and available*. Sessions are split where a new rate-card version of their market
/// takes effect. The exact durations (microseconds)
/// of an agent's sessions are added up per market and version, and only the sum is cut to whole minutes: an agent
/// who flaps online and offline loses at most one partial minute per period, not one per session.
public enum PresenceTime {
    public struct Key: Sendable, Hashable, Comparable {
        public var agentID: String
        public var market: String
        public var version: String

        public static func < (lhs: Key, rhs: Key) -> Bool {
            (lhs.agentID, lhs.market, lhs.version) < (rhs.agentID, rhs.market, rhs.version)
        }
    }

    /// Whole minutes online per agent, market and version in `[start, cutoff)`, for the markets of `cards`.
    public static func minutes(
        from start: Date, to cutoff: Date, cards: [RateCard], in transaction: PostgresTransaction
    ) throws -> [Key: Int] {
        var byMarket: [String: [RateCard]] = [:]
        for card in cards { byMarket[card.market, default: []].append(card) }
        for market in byMarket.keys { byMarket[market]?.sort { $0.effectiveFrom < $1.effectiveFrom } }
        guard !byMarket.isEmpty else { return [:] }
        // Overlapping sessions of one agent and market (which the escalation worker does not write, but a constructed
        // or imported record could hold) are merged first, so no minute is paid twice.
        var merged: [(agentID: String, market: String, from: Int64, to: Int64)] = []
        for row in try transaction.query(
            """
            SELECT agent_id, upper(market) AS market,
                   (extract(epoch FROM greatest(online_at, $1::timestamptz)) * 1000000)::bigint AS from_microseconds,
                   (extract(epoch FROM least(coalesce(offline_at, $2::timestamptz), $2::timestamptz)) * 1000000)::bigint AS to_microseconds
            FROM agent_presence_sessions
            WHERE online_at < $2::timestamptz AND (offline_at IS NULL OR offline_at > $1::timestamptz)
              AND upper(market) = ANY($3::text[])
            ORDER BY agent_id, upper(market), online_at, session_id
            """,
            [start, cutoff, Array(byMarket.keys)]
        ) {
            let agentID = try row.decode(String.self, named: "agent_id")
            let market = try row.decode(String.self, named: "market")
            let from = try row.decode(Int64.self, named: "from_microseconds")
            let to = try row.decode(Int64.self, named: "to_microseconds")
            guard to > from else { continue }
            if let last = merged.last, last.agentID == agentID, last.market == market, from <= last.to {
                merged[merged.count - 1].to = max(last.to, to)
            } else {
                merged.append((agentID, market, from, to))
            }
        }
        let unavailable = try self.unavailableStretches(agentIDs: Array(Set(merged.map(\.agentID))), in: transaction)
        var pieces: [(agentID: String, market: String, from: Int64, to: Int64)] = []
        for session in merged {
            var rest = [(session.from, session.to)]
            for gap in unavailable[session.agentID] ?? [] where gap.to > session.from && gap.from < session.to {
                rest = rest.flatMap { piece -> [(Int64, Int64)] in
                    guard gap.to > piece.0, gap.from < piece.1 else { return [piece] }
                    return [(piece.0, gap.from), (gap.to, piece.1)].filter { $0.1 > $0.0 }
                }
            }
            pieces += rest.map { (session.agentID, session.market, $0.0, $0.1) }
        }
        var micros: [Key: Int64] = [:]
        for (agentID, market, from, to) in pieces {
            guard let versions = byMarket[market] else { continue }
            for (index, card) in versions.enumerated() {
                let cardStart = Self.micros(card.effectiveFrom)
                let cardEnd = index + 1 < versions.count ? Self.micros(versions[index + 1].effectiveFrom) : Int64.max
                let overlap = min(to, cardEnd) - max(from, cardStart)
                guard overlap > 0 else { continue }
                micros[Key(agentID: agentID, market: market, version: card.version), default: 0] += overlap
            }
        }
        return micros.compactMapValues { value in
            let minutes = Int(value / 60_000_000)
            return minutes > 0 ? minutes : nil
        }
    }

    /// When agents were not available although online: from each change to a status other than `active` (paused,
    /// suspended) to the next change back, from the escalation worker's `agent_status_history` where that table
    /// exists. Changes at the same instant apply with `active` last (enrolment writes applicant and active at once).
    /// An agent without history is taken as available.
    static func unavailableStretches(agentIDs: [String], in transaction: PostgresTransaction) throws -> [String: [(
        from: Int64, to: Int64
    )]] {
        guard !agentIDs.isEmpty,
            try !transaction.query(
                "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'agent_status_history'"
            ).isEmpty
        else { return [:] }
        var stretches: [String: [(from: Int64, to: Int64)]] = [:]
        var since: [String: Int64] = [:]  // agent -> start of the current unavailable stretch
        for row in try transaction.query(
            """
            SELECT agent_id, status = 'active' AS active, (extract(epoch FROM changed_at) * 1000000)::bigint AS at_microseconds
            FROM agent_status_history WHERE agent_id = ANY($1::text[])
            ORDER BY agent_id, changed_at, (status = 'active')
            """,
            [agentIDs]
        ) {
            let agentID = try row.decode(String.self, named: "agent_id")
            let active = try row.decode(Bool.self, named: "active")
            let at = try row.decode(Int64.self, named: "at_microseconds")
            if active {
                if let start = since.removeValue(forKey: agentID), at > start {
                    stretches[agentID, default: []].append((start, at))
                }
            } else if since[agentID] == nil {
                since[agentID] = at
            }
        }
        for (agentID, start) in since { stretches[agentID, default: []].append((start, Int64.max)) }
        return stretches
    }

    /// A rate card's start in microseconds since 1970 (cards start on whole seconds).
    static func micros(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }
}
