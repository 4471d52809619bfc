import ConciergeCore
import ConciergeIntents
public import ConciergeRuntime
import Configuration
import Foundation
import IntentClassifier
public import Logging
public import ServiceLifecycle

/// The classifier worker (`concierge-classifier`): consumes `inquiry.v1` from `concierge.classifier` and routes each
/// inquiry to the AI lane or the human lane (``ClassifierHandler``).
public enum ClassifierWorker: WorkerRecipe {
    public static let name = "classifier"

    /// The classifier's configuration.
    ///
    /// Keys:
    /// - `classifier.catalog` (`config/intents.yaml`): the intent catalog
    /// - `classifier.routing` (`config/routing.yaml`): the routing policy
    /// - `classifier.languages` (`config/languages`): one `<code>.yaml` per language the classifier detects, with the
    ///   function words the language detector counts and the safety net's phrases (`LanguageSignals`); every language
    ///   in the routing policy's `ai_languages` must have a file with every safety-net list, or the classifier does not
    ///   start
    /// - `classifier.default_language` (`en`): the language of a message too short to tell, and the one preferred on a
    ///   tie
    /// - `classifier.model` (`config/models/intents.model`): the trained model; when the file does not exist the model
    ///   is trained from the catalog at start-up (deterministic, about a second) and a warning says so
    /// - `classifier.producers` ([]): the AMQP users of the upstream channels whose inquiries it takes (empty: anyone's)
    public struct Settings: Sendable {
        public var catalog = "config/intents.yaml"
        public var routing = "config/routing.yaml"
        public var languages = "config/languages"
        public var defaultLanguage = "en"
        public var model = "config/models/intents.model"
        public var producers: [String] = []

        public init() {}

        public init(configuration: FleetConfiguration) {
            let reader = configuration.reader
            self.catalog = reader.string(forKey: "classifier.catalog", default: self.catalog)
            self.routing = reader.string(forKey: "classifier.routing", default: self.routing)
            self.languages = reader.string(forKey: "classifier.languages", default: self.languages)
            self.defaultLanguage = reader.string(forKey: "classifier.default_language", default: self.defaultLanguage)
            self.model = reader.string(forKey: "classifier.model", default: self.model)
            self.producers = reader.stringArray(forKey: "classifier.producers", default: self.producers)
        }
    }

    public static func settings(from configuration: FleetConfiguration) -> Settings {
        Settings(configuration: configuration)
    }

    public static func services(settings: Settings, context: WorkerApp.Context) throws -> [any Service] {
        let (classifier, version) = try self.classifier(settings, logger: context.logger)
        return [
            try context.worker(
                name: self.name, queue: FleetNames.classifierQueue,
                handler: ClassifierHandler(classifier: classifier, modelVersion: version, metrics: ClassifierMetrics()),
                topology: context.configuration.topology.worker(.classifier), producers: settings.producers
            )
        ]
    }

    /// Loads the catalog, routing policy, language signals and model `settings` name; returns the classifier and its
    /// model's version.
    public static func classifier(_ settings: Settings, logger: Logger) throws -> (InquiryClassifier, String) {
        let catalog = try IntentCatalog.load(path: settings.catalog)
        let policy = try RoutingConfiguration.load(path: settings.routing)
        let signals = try LanguageSignals.load(directory: settings.languages, defaultLanguage: settings.defaultLanguage)
        try signals.requireSafetyNet(for: policy.aiLanguages)
        let model: IntentModel
        let version: String
        if FileManager.default.fileExists(atPath: settings.model) {
            model = try IntentModel.load(from: settings.model)
            version = "file:\((settings.model as NSString).lastPathComponent)"
        } else {
            logger.warning(
                "no model file; training from the catalog", metadata: ["classifier.model": "\(settings.model)"])
            model = IntentModel.train(catalog.trainingData)
            version = "catalog-v\(catalog.version)"
        }
        let unknown = Set(model.labels).subtracting(catalog.intents.map(\.name)).subtracting([
            IntentCatalog.outOfScopeLabel
        ])
        if !unknown.isEmpty {
            logger.warning(
                "model knows intents the catalog does not; they are treated as unknown",
                metadata: ["intents": "\(unknown.sorted())"])
        }
        return (InquiryClassifier(model: model, catalog: catalog, policy: policy, signals: signals), version)
    }

    /// The classifier the configuration describes (the CLI's `route` and benchmarks use it).
    public static func classifier(configuration: FleetConfiguration, logger: Logger) throws -> (
        InquiryClassifier, String
    ) {
        try self.classifier(Settings(configuration: configuration), logger: logger)
    }
}
