import ClassifierWorker
import ConciergeCore
import ConciergeRuntime

// Inquiries come from upstream channels: `classifier.producers` lists their AMQP users (empty, the default: anyone's).
try await WorkerApp.run(
    name: "classifier", queue: FleetNames.classifierQueue, topologyFor: { $0.topology.worker(.classifier) },
    producersFor: { $0.reader.stringArray(forKey: "classifier.producers", default: []) }
) { context in
    try ClassifierSetup.handler(context)
}
