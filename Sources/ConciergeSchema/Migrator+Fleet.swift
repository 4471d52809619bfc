import AgentCredentials
import ClassifierWorker
public import ConciergeRuntime
import EscalationWorker
import PayoutWorker
import ResponderWorker

extension Migrator {
    /// Every module's migration set: what `conciergectl migrate` applies and what the tests' databases get.
    /// A module that adds tables adds its set here.
    public static let fleetSets: [MigrationSet] = [
        .runtime, .classifier, .responder, .escalation, .payout, .agentApp, .fleet,
    ]

    /// The whole fleet's schema, in global version order (see ``Migrator``).
    public static func fleet() throws -> Migrator {
        try Migrator(Self.fleetSets)
    }
}
