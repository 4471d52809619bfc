public import ConciergeRuntime
import Foundation
import IntentClassifier
import ConciergeIntents
import Logging

/// Builds the classifier from configuration.
///
/// Keys:
/// - `classifier.catalog` (`config/intents.yaml`): the intent catalog
/// - `classifier.routing` (`config/routing.yaml`): the routing policy
/// - `classifier.languages` (`config/languages`): one `<code>.yaml` per language the classifier detects, with the
///   function words the language detector counts and the safety net's phrases (`LanguageSignals`); every language in
///   the routing policy's `ai_languages` must have a file with every safety-net list, or the classifier does not start
/// - `classifier.default_language` (`en`): the language of a message too short to tell, and the one preferred on a tie
/// - `classifier.model` (`config/models/intents.model`): the trained model; when the file does not exist the model is
///   trained from the catalog at start-up (deterministic, about a second) and a warning says so.
public enum ClassifierSetup {
    public static func classifier(configuration: FleetConfiguration, logger: Logger) throws -> (InquiryClassifier, String) {
        let reader = configuration.reader
        let catalog = try IntentCatalog.load(path: reader.string(forKey: "classifier.catalog", default: "config/intents.yaml"))
        let policy = try RoutingConfiguration.load(path: reader.string(forKey: "classifier.routing", default: "config/routing.yaml"))
        let signals = try LanguageSignals.load(
            directory: reader.string(forKey: "classifier.languages", default: "config/languages"),
            defaultLanguage: reader.string(forKey: "classifier.default_language", default: "en")
        )
        try signals.requireSafetyNet(for: policy.aiLanguages)
        let modelPath = reader.string(forKey: "classifier.model", default: "config/models/intents.model")
        let model: IntentModel
        let version: String
        if FileManager.default.fileExists(atPath: modelPath) {
            model = try IntentModel.load(from: modelPath)
            version = "file:\((modelPath as NSString).lastPathComponent)"
        } else {
            logger.warning("no model file; training from the catalog", metadata: ["classifier.model": "\(modelPath)"])
            model = IntentModel.train(catalog.trainingData)
            version = "catalog-v\(catalog.version)"
        }
        let unknown = Set(model.labels).subtracting(catalog.intents.map(\.name)).subtracting([IntentCatalog.outOfScopeLabel])
        if !unknown.isEmpty {
            logger.warning("model knows intents the catalog does not; they are treated as unknown", metadata: ["intents": "\(unknown.sorted())"])
        }
        return (InquiryClassifier(model: model, catalog: catalog, policy: policy, signals: signals), version)
    }

    public static func handler(_ context: WorkerApp.Context) throws -> ClassifierHandler {
        let (classifier, version) = try self.classifier(configuration: context.configuration, logger: context.logger)
        return ClassifierHandler(classifier: classifier, modelVersion: version)
    }
}
