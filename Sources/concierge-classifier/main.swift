import ClassifierWorker
import ConciergeCore
import ConciergeRuntime

try await WorkerApp.run(name: "classifier", queue: FleetNames.classifierQueue) { context in
    try ClassifierSetup.handler(context)
}
