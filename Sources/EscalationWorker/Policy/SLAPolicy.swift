/// SLA targets: the longest a conversation of each class should wait for an agent to take it.
public struct SLAPolicy: Sendable, Hashable {
    public var targetSeconds: [ServiceClass: Int]

    public init(targetSeconds: [ServiceClass: Int]) {
        self.targetSeconds = targetSeconds
    }

    /// VIP 60 s, urgent 120 s, high 300 s, normal 900 s.
    public static let standard = SLAPolicy(targetSeconds: [.vip: 60, .urgent: 120, .high: 300, .normal: 900])

    public func target(for serviceClass: ServiceClass) -> Int {
        self.targetSeconds[serviceClass] ?? Self.standard.targetSeconds[serviceClass]!
    }

    /// Whether waiting `seconds` breaches the class's target.
    public func isBreached(_ serviceClass: ServiceClass, waitedSeconds seconds: Double) -> Bool {
        seconds > Double(self.target(for: serviceClass))
    }
}
