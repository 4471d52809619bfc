import Foundation
public import IntentClassifier

/// A CSV of labelled texts (header `text,label` or `text,category`) that a classifier command reads.
public enum ExampleFile {
    /// The examples in the file at `path`: a missing or empty file is an ``ExampleFileError``, a malformed one a
    /// `LabeledTextCSVError`.
    public static func read(_ path: String) throws -> [LabeledText] {
        guard FileManager.default.fileExists(atPath: path) else { throw ExampleFileError(.notFound, path: path) }
        let examples = try LabeledTextCSV.read(path: path)
        guard !examples.isEmpty else { throw ExampleFileError(.empty, path: path) }
        return examples
    }
}
