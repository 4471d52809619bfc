import ClassifierWorker
import ConciergeRuntime

// Inquiries come from upstream channels: `classifier.producers` lists their AMQP users (empty, the default: anyone's).
try await WorkerApp.run(ClassifierWorker.self)
