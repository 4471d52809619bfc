import ConciergeCore
public import ConciergeRuntime
import Configuration

/// The escalation worker's configuration.
///
/// Keys (environment variables in upper snake case override `config/concierge.yaml`):
/// - `escalation.queue` (`concierge.escalation`), `escalation.agent_events_queue` (`concierge.agent-events`)
/// - `escalation.markets` ([]): the markets this process dispatches (empty: all). Agents only serve customers of their
///   own market, so markets are independent dispatch pools.
/// - `escalation.default_market` (`EU`): market of a customer missing from `customers`
/// - `escalation.offer_timeout_ms` (20000): how long an agent has to accept an offer
/// - `escalation.heartbeat_timeout_ms` (30000): an online agent silent this long is taken offline
/// - `escalation.dispatch.interval_ms` (250): the dispatcher's tick; `escalation.dispatch.batch` (200): waiting
///   conversations considered per tick and pool
/// - `escalation.sla_seconds.vip|urgent|high|normal` (60/120/300/900): SLA target for assignment per class
/// - `escalation.surge.ratios_percent` ([100, 150, 200, 300]) and `escalation.surge.multipliers_bp`
///   ([11000, 12500, 15000, 20000]): the surge steps; `escalation.surge.cap_bp` (20000)
/// - `escalation.reopen_window_hours` (72): a customer back on the same conversation (or the same intent) this soon
///   after a resolution reopens it
/// - `escalation.eligibility.min_customer_days` (90), `.min_purchases` (3), `.max_overdue_instalments` (0)
/// - `escalation.ranking.vip_skill` (`vip`), `.newcomer_assignments` (10), `.newcomer_boost_millistars` (300),
///   `.load_penalty_millistars` (1500)
public struct EscalationSettings: Sendable {
    public var queue = FleetNames.escalationQueue
    public var agentEventsQueue = FleetNames.agentEventsQueue
    public var markets: [String] = []
    public var defaultMarket = "EU"
    public var offerTimeoutMilliseconds = 20_000
    public var heartbeatTimeoutMilliseconds = 30_000
    public var dispatchInterval: Duration = .milliseconds(250)
    public var dispatchBatch = 200
    public var sla = SLAPolicy.standard
    public var surge = SurgePolicy.standard
    public var reopenWindowHours = 72
    public var eligibility = EligibilityRules()
    public var ranking = AgentRanking()

    public init() {}

    /// Reads the keys listed above.
    public init(configuration: FleetConfiguration) {
        let reader = configuration.reader
        self.queue = reader.string(forKey: "escalation.queue", default: self.queue)
        self.agentEventsQueue = reader.string(forKey: "escalation.agent_events_queue", default: self.agentEventsQueue)
        self.markets = reader.stringArray(forKey: "escalation.markets", default: []).filter { !$0.isEmpty }
        self.defaultMarket = reader.string(forKey: "escalation.default_market", default: self.defaultMarket)
        self.offerTimeoutMilliseconds = max(100, reader.int(forKey: "escalation.offer_timeout_ms", default: self.offerTimeoutMilliseconds))
        self.heartbeatTimeoutMilliseconds = max(
            100, reader.int(forKey: "escalation.heartbeat_timeout_ms", default: self.heartbeatTimeoutMilliseconds)
        )
        self.dispatchInterval = .milliseconds(max(10, reader.int(forKey: "escalation.dispatch.interval_ms", default: 250)))
        self.dispatchBatch = max(1, reader.int(forKey: "escalation.dispatch.batch", default: self.dispatchBatch))
        var targets: [ServiceClass: Int] = [:]
        for serviceClass in ServiceClass.allCases {
            targets[serviceClass] = reader.int(
                forKey: ConfigKey("escalation.sla_seconds.\(serviceClass.rawValue)"), default: SLAPolicy.standard.target(for: serviceClass)
            )
        }
        self.sla = SLAPolicy(targetSeconds: targets)
        let ratios = reader.intArray(forKey: "escalation.surge.ratios_percent", default: SurgePolicy.standard.steps.map(\.ratioPercent))
        let multipliers = reader.intArray(
            forKey: "escalation.surge.multipliers_bp", default: SurgePolicy.standard.steps.map(\.multiplierBasisPoints)
        )
        self.surge = SurgePolicy(
            steps: zip(ratios, multipliers).map { .init(ratioPercent: $0, multiplierBasisPoints: $1) },
            capBasisPoints: reader.int(forKey: "escalation.surge.cap_bp", default: SurgePolicy.standard.capBasisPoints)
        )
        self.reopenWindowHours = reader.int(forKey: "escalation.reopen_window_hours", default: self.reopenWindowHours)
        self.eligibility = EligibilityRules(
            minimumCustomerDays: reader.int(forKey: "escalation.eligibility.min_customer_days", default: 90),
            minimumPurchases: reader.int(forKey: "escalation.eligibility.min_purchases", default: 3),
            maximumOverdueInstalments: reader.int(forKey: "escalation.eligibility.max_overdue_instalments", default: 0)
        )
        var ranking = AgentRanking()
        ranking.vipSkill = reader.string(forKey: "escalation.ranking.vip_skill", default: ranking.vipSkill)
        ranking.newcomerAssignments = reader.int(forKey: "escalation.ranking.newcomer_assignments", default: ranking.newcomerAssignments)
        ranking.newcomerBoostMilliStars = reader.int(
            forKey: "escalation.ranking.newcomer_boost_millistars", default: ranking.newcomerBoostMilliStars
        )
        ranking.loadPenaltyMilliStars = reader.int(
            forKey: "escalation.ranking.load_penalty_millistars", default: ranking.loadPenaltyMilliStars
        )
        self.ranking = ranking
    }
}
