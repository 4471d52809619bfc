import Foundation
import IntentClassifier
import Testing

@Suite struct ModelFileTests {
    /// Trained once for the whole suite (Swift Testing makes a suite instance per test).
    static let sharedModel = IntentModel.train(SmallDataset.training, options: SmallDataset.options)
    var model: IntentModel { Self.sharedModel }

    private func bytes(of model: IntentModel, in directory: TemporaryDirectory) throws -> [UInt8] {
        try model.write(to: directory.path("m.model"))
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: directory.path("m.model"))))
    }

    private func load(_ bytes: [UInt8], in directory: TemporaryDirectory) throws -> IntentModel {
        try Data(bytes).write(to: URL(fileURLWithPath: directory.path("x.model")))
        return try IntentModel.load(from: directory.path("x.model"))
    }

    private func loadError(_ bytes: [UInt8], in directory: TemporaryDirectory) -> IntentModelError.Code? {
        do {
            _ = try load(bytes, in: directory)
            return nil
        } catch let error as IntentModelError {
            return error.code
        } catch {
            return nil
        }
    }

    @Test func roundTripGivesIdenticalPredictions() throws {
        let directory = try TemporaryDirectory()
        try model.write(to: directory.path("m.model"))
        let loaded = try IntentModel.load(from: directory.path("m.model"))
        #expect(loaded.labels == model.labels)
        #expect(loaded.temperature == model.temperature)
        #expect(loaded.featureCount == model.featureCount)
        let texts = (SmallDataset.training + SmallDataset.heldOut).map(\.text) + ["", "gibberish xq", "£5 top up?"]
        for text in texts {
            #expect(loaded.probabilities(text) == model.probabilities(text))
            #expect(loaded.predict(text, top: 5) == model.predict(text, top: 5))
        }
        // Writing the loaded model reproduces the file byte for byte.
        try loaded.write(to: directory.path("again.model"))
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: directory.path("again.model")))
                == Data(contentsOf: URL(fileURLWithPath: directory.path("m.model"))))
    }

    @Test func roundTripKeepsEveryFeatureSetting() throws {
        var options = SmallDataset.options
        options.maxWordNGram = 1
        options.charNGrams = 3...4
        options.skipGramWindow = 3
        options.crossWordChars = true
        options.wordWeight = 0.5
        let model = IntentModel.train(SmallDataset.training, options: options)
        let directory = try TemporaryDirectory()
        try model.write(to: directory.path("m.model"))
        let loaded = try IntentModel.load(from: directory.path("m.model"))
        for text in (SmallDataset.training + SmallDataset.heldOut).map(\.text) {
            #expect(loaded.probabilities(text) == model.probabilities(text))
        }
    }

    @Test func otherFormatVersionIsRejected() throws {
        let directory = try TemporaryDirectory()
        var bytes = try bytes(of: model, in: directory)
        bytes.replaceSubrange(8..<12, with: [2, 0, 0, 0])
        #expect(loadError(bytes, in: directory) == .unsupportedVersion(found: 2, expected: IntentModel.formatVersion))
    }

    @Test func wrongMagicIsNotAModelFile() throws {
        let directory = try TemporaryDirectory()
        #expect(loadError(Array("text,label\nhello,x\n".utf8), in: directory) == .notAModelFile)
        #expect(loadError([], in: directory) == .notAModelFile)
    }

    @Test func truncatedFileIsReported() throws {
        let directory = try TemporaryDirectory()
        let bytes = try bytes(of: model, in: directory)
        #expect(loadError(Array(bytes.prefix(bytes.count / 2)), in: directory) == .truncated)
        #expect(loadError(Array(bytes.prefix(10)), in: directory) == .truncated)
    }

    @Test func flippedByteIsCorrupt() throws {
        let directory = try TemporaryDirectory()
        var bytes = try bytes(of: model, in: directory)
        bytes[bytes.count - 100] ^= 0x01
        #expect(loadError(bytes, in: directory) == .corrupt)
        var longer = try self.bytes(of: model, in: directory)
        longer.append(0)
        #expect(loadError(longer, in: directory) == .corrupt)
    }

    @Test func missingFileIsAnIOError() throws {
        let directory = try TemporaryDirectory()
        #expect(throws: IntentModelError.self) { try IntentModel.load(from: directory.path("absent.model")) }
        do {
            _ = try IntentModel.load(from: directory.path("absent.model"))
        } catch {
            #expect(error.code == .io)
            #expect(error.description.contains("absent.model"))
        }
    }
}
