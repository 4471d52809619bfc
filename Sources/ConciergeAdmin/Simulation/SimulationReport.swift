import ConciergePostgres
import Foundation

/// The dispatch figures of one `simulate agents` run, from its escalations (`sim-<run>-…`) and their offers: time to
/// assignment by service class (with the overall row, `all`), offer outcomes, surge and response times.
struct SimulationReport: Equatable {
    /// Time from enqueued to assigned, seconds, for one service class or `all`.
    struct Assignment: Equatable {
        var serviceClass: String
        var count: Int
        var p50: Double?
        var p90: Double?
        var p95: Double?
        var p99: Double?
        var max: Double?
        var slaBreaches: Int
    }

    var assignments: [Assignment]
    var offers: Int
    var accepted: Int
    var declined: Int
    var expired: Int
    var withdrawn: Int
    /// Mean and highest surge of the offers, basis points (10000 when there were none).
    var meanSurgeBp: Double
    var maxSurgeBp: Int
    /// Medians, seconds: enqueued -> first offer, and offered -> accepted.
    var medianTimeToFirstOffer: Double?
    var medianTimeToAccept: Double?

    static func pattern(run: String) -> String { "sim-\(run)-%" }

    /// This run's escalations that are resolved.
    static func resolvedCount(run: String, on database: PostgresConnection) async throws -> Int {
        try await database.query(
            "SELECT count(*) AS resolved FROM escalations WHERE escalation_id LIKE $1 AND state = 'resolved'",
            [Self.pattern(run: run)]
        ).single().decode(named: "resolved")
    }

    static func load(run: String, on database: PostgresConnection) async throws -> SimulationReport {
        let pattern = Self.pattern(run: run)
        let assignments = try await database.query(
            """
            SELECT coalesce(service_class, 'all') AS service_class, count(*) AS assigned,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY w) AS p50, percentile_cont(0.9) WITHIN GROUP (ORDER BY w) AS p90,
                   percentile_cont(0.95) WITHIN GROUP (ORDER BY w) AS p95, percentile_cont(0.99) WITHIN GROUP (ORDER BY w) AS p99,
                   max(w) AS max, count(*) FILTER (WHERE sla_breached) AS sla_breaches
            FROM (SELECT service_class, sla_breached, extract(epoch FROM assigned_at - enqueued_at)::float8 AS w
                  FROM escalations WHERE escalation_id LIKE $1 AND assigned_at IS NOT NULL) t
            GROUP BY ROLLUP (service_class) ORDER BY 1
            """,
            [pattern]
        ).map { row in
            Assignment(
                serviceClass: try row.decode(named: "service_class"), count: try row.decode(named: "assigned"),
                p50: try row.decode(named: "p50"),
                p90: try row.decode(named: "p90"), p95: try row.decode(named: "p95"), p99: try row.decode(named: "p99"),
                max: try row.decode(named: "max"), slaBreaches: try row.decode(named: "sla_breaches")
            )
        }
        let offers = try await database.query(
            """
            SELECT count(*) AS offers, count(*) FILTER (WHERE o.state = 'accepted') AS accepted,
                   count(*) FILTER (WHERE o.state = 'declined') AS declined, count(*) FILTER (WHERE o.state = 'expired') AS expired,
                   count(*) FILTER (WHERE o.state = 'withdrawn') AS withdrawn,
                   coalesce(avg(o.surge_bp), 10000)::float8 AS mean_surge_bp, coalesce(max(o.surge_bp), 10000) AS max_surge_bp,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM e.first_offer_at - e.enqueued_at)) AS median_to_first_offer,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM o.responded_at - o.offered_at))
                       FILTER (WHERE o.state = 'accepted') AS median_to_accept
            FROM offers o JOIN escalations e USING (escalation_id) WHERE e.escalation_id LIKE $1
            """,
            [pattern]
        ).single()
        return SimulationReport(
            assignments: assignments, offers: try offers.decode(named: "offers"),
            accepted: try offers.decode(named: "accepted"),
            declined: try offers.decode(named: "declined"), expired: try offers.decode(named: "expired"),
            withdrawn: try offers.decode(named: "withdrawn"), meanSurgeBp: try offers.decode(named: "mean_surge_bp"),
            maxSurgeBp: try offers.decode(named: "max_surge_bp"),
            medianTimeToFirstOffer: try offers.decode(named: "median_to_first_offer"),
            medianTimeToAccept: try offers.decode(named: "median_to_accept")
        )
    }

    /// The lines printed at the end of a run with inquiries.
    func lines() -> [String] {
        var lines = [
            "", "time to assignment (enqueued -> accepted), seconds:",
            "class    count    p50     p90     p95     p99     max   SLA breaches",
        ]
        for row in self.assignments {
            let values = [row.p50, row.p90, row.p95, row.p99, row.max].map { String(format: "%6.2f", $0 ?? 0) }
            let serviceClass = row.serviceClass.padding(toLength: 8, withPad: " ", startingAt: 0)
            lines.append(
                "\(serviceClass) \(String(format: "%5d", row.count))  \(values.joined(separator: "  "))  \(row.slaBreaches)"
            )
        }
        lines += [
            "",
            "offers: \(self.offers) (accepted \(self.accepted), declined \(self.declined), expired \(self.expired), "
                + "withdrawn \(self.withdrawn)); acceptance rate \(self.offers == 0 ? 0 : self.accepted * 100 / self.offers)%",
            "surge: mean \(String(format: "%.0f", self.meanSurgeBp)) bp, max \(self.maxSurgeBp) bp",
            "median time to first offer \(String(format: "%.2f", self.medianTimeToFirstOffer ?? 0)) s, "
                + "median time to accept \(String(format: "%.2f", self.medianTimeToAccept ?? 0)) s",
        ]
        return lines
    }
}
