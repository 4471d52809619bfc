import ConciergeCore
public import ConciergeRuntime
import Configuration
public import PayoutWorker

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
/// - `escalation.premium.classes` ([vip, urgent]): classes offered to `escalation.premium.parallel_offers` (3) agents
///   at once with the shorter window `escalation.premium.offer_timeout_ms` (8000); the first accept wins
/// - `escalation.reoffer_cooldown_ms` (5000): when every eligible agent declined or let the offer expire, the
///   conversation is offered again to the same pool (a new round) this long after the last offer ended
/// - `escalation.widen_after_s` (60): waited this long, the required skills are relaxed (language and VIP stay)
/// - `escalation.fallback_after_s` (180): waited this long, staff agents (`agents.kind = 'staff'`) are offered it too
/// - `escalation.presence_grace_ms` (60000): an agent offline this long (since last seen) gives back their
///   conversations, which go to the front of the line
/// - `escalation.nudge_after_s` (120), `escalation.requeue_after_s` (300): a customer waiting this long for the
///   agent's reply gets the agent nudged, then the conversation re-queued
/// - `escalation.rating_window_hours` (168): a rating is accepted this long after the resolution
/// - `escalation.notify.handle_time_s` (240), `escalation.notify.min_interval_s` (30): the waiting-line notice's
///   expected wait (position x handle time / online capacity) and the least time between two notices; a new notice
///   goes out when the expected wait changed by at least 2 minutes and at least a quarter of the last one
/// - `payout.rate_cards` (`config/payouts.yaml`): the rate cards the offers' pay is quoted from
/// - `escalation.agent_app_users` ([concierge-gateway]): the AMQP users whose agent events are accepted
///   (`AgentEventSource`)
/// - `escalation.producers` ([concierge-classifier, concierge-responder]): the AMQP users whose routed inquiries and
///   hand-offs it takes (the human lane's two sources)
public struct EscalationSettings: Sendable {
    public var producers = ["concierge-classifier", "concierge-responder"]
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
    public var premiumClasses: Set<ServiceClass> = [.vip, .urgent]
    public var premiumParallelOffers = 3
    public var premiumOfferTimeoutMilliseconds = 8_000
    public var reofferCooldownMilliseconds = 5_000
    public var widenAfterSeconds = 60
    public var fallbackAfterSeconds = 180
    public var presenceGraceMilliseconds = 60_000
    public var nudgeAfterSeconds = 120
    public var requeueAfterSeconds = 300
    public var ratingWindowHours = 168
    public var notifyHandleTimeSeconds = 240
    public var notifyMinimumIntervalSeconds = 30
    /// The rate cards offers quote their pay from; nil: offers carry no pay.
    public var rateCards: RateCardBook?
    /// Who may publish agent events (`escalation.agent_app_users`).
    public var agentEventSource = AgentEventSource()

    public init() {}

    /// The offer window for a class.
    public func offerTimeoutMilliseconds(for serviceClass: ServiceClass) -> Int {
        self.premiumClasses.contains(serviceClass)
            ? min(self.offerTimeoutMilliseconds, self.premiumOfferTimeoutMilliseconds) : self.offerTimeoutMilliseconds
    }

    /// How many agents a conversation of this class is offered to at once.
    public func parallelOffers(for serviceClass: ServiceClass) -> Int {
        self.premiumClasses.contains(serviceClass) ? max(1, self.premiumParallelOffers) : 1
    }

    /// Reads the keys listed above; throws when the rate cards cannot be loaded (offers would go out with no pay).
    public init(configuration: FleetConfiguration) throws {
        let reader = configuration.reader
        self.queue = reader.string(forKey: "escalation.queue", default: self.queue)
        self.agentEventsQueue = reader.string(forKey: "escalation.agent_events_queue", default: self.agentEventsQueue)
        self.markets = reader.stringArray(forKey: "escalation.markets", default: []).filter { !$0.isEmpty }
        self.defaultMarket = reader.string(forKey: "escalation.default_market", default: self.defaultMarket)
        self.offerTimeoutMilliseconds = max(
            100, reader.int(forKey: "escalation.offer_timeout_ms", default: self.offerTimeoutMilliseconds))
        self.heartbeatTimeoutMilliseconds = max(
            100, reader.int(forKey: "escalation.heartbeat_timeout_ms", default: self.heartbeatTimeoutMilliseconds)
        )
        self.dispatchInterval = .milliseconds(
            max(10, reader.int(forKey: "escalation.dispatch.interval_ms", default: 250)))
        self.dispatchBatch = max(1, reader.int(forKey: "escalation.dispatch.batch", default: self.dispatchBatch))
        var targets: [ServiceClass: Int] = [:]
        for serviceClass in ServiceClass.allCases {
            targets[serviceClass] = reader.int(
                forKey: ConfigKey("escalation.sla_seconds.\(serviceClass.rawValue)"),
                default: SLAPolicy.standard.target(for: serviceClass)
            )
        }
        self.sla = SLAPolicy(targetSeconds: targets)
        let ratios = reader.intArray(
            forKey: "escalation.surge.ratios_percent", default: SurgePolicy.standard.steps.map(\.ratioPercent))
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
        ranking.newcomerAssignments = reader.int(
            forKey: "escalation.ranking.newcomer_assignments", default: ranking.newcomerAssignments)
        ranking.newcomerBoostMilliStars = reader.int(
            forKey: "escalation.ranking.newcomer_boost_millistars", default: ranking.newcomerBoostMilliStars
        )
        ranking.loadPenaltyMilliStars = reader.int(
            forKey: "escalation.ranking.load_penalty_millistars", default: ranking.loadPenaltyMilliStars
        )
        self.ranking = ranking
        self.premiumClasses = Set(
            reader.stringArray(forKey: "escalation.premium.classes", default: ["vip", "urgent"]).compactMap(
                ServiceClass.init(rawValue:))
        )
        self.premiumParallelOffers = max(
            1, reader.int(forKey: "escalation.premium.parallel_offers", default: self.premiumParallelOffers))
        self.premiumOfferTimeoutMilliseconds = max(
            100,
            reader.int(forKey: "escalation.premium.offer_timeout_ms", default: self.premiumOfferTimeoutMilliseconds)
        )
        self.reofferCooldownMilliseconds = max(
            0, reader.int(forKey: "escalation.reoffer_cooldown_ms", default: self.reofferCooldownMilliseconds))
        self.widenAfterSeconds = reader.int(forKey: "escalation.widen_after_s", default: self.widenAfterSeconds)
        self.fallbackAfterSeconds = reader.int(
            forKey: "escalation.fallback_after_s", default: self.fallbackAfterSeconds)
        self.presenceGraceMilliseconds = max(
            0, reader.int(forKey: "escalation.presence_grace_ms", default: self.presenceGraceMilliseconds))
        self.nudgeAfterSeconds = max(1, reader.int(forKey: "escalation.nudge_after_s", default: self.nudgeAfterSeconds))
        self.requeueAfterSeconds = max(
            self.nudgeAfterSeconds, reader.int(forKey: "escalation.requeue_after_s", default: self.requeueAfterSeconds))
        self.ratingWindowHours = max(
            1, reader.int(forKey: "escalation.rating_window_hours", default: self.ratingWindowHours))
        self.notifyHandleTimeSeconds = max(
            1, reader.int(forKey: "escalation.notify.handle_time_s", default: self.notifyHandleTimeSeconds))
        self.notifyMinimumIntervalSeconds = max(
            0, reader.int(forKey: "escalation.notify.min_interval_s", default: self.notifyMinimumIntervalSeconds)
        )
        self.agentEventSource = AgentEventSource(configuration: configuration)
        self.producers = reader.stringArray(forKey: "escalation.producers", default: self.producers)
        self.rateCards = try RateCardBook.load(
            path: reader.string(forKey: "payout.rate_cards", default: "config/payouts.yaml"))
    }
}
