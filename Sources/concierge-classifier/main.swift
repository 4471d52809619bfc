import ClassifierWorker
import ConciergeCore
import ConciergeRuntime

try await WorkerApp.run(name: "classifier", queue: FleetNames.classifierQueue, topologyFor: { $0.topology.worker(.classifier) }) { context in
    try ClassifierSetup.handler(context)
}
