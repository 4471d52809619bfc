import Foundation

/// Where the `config/` directory this code was built with is, for the defaults of APIs that tests, tools and fuzz
/// targets call without a configuration (`LanguageDetector()`, `StatedValue.extract(from:)`).
///
/// Workers never use it: they load their files from the paths their configuration names and pass them in. Looked up
/// in order: the source tree this file was compiled from (a checkout, where tests and fuzz targets run), then
/// `config/` under the working directory (the container's `/opt/concierge`).
public enum ShippedConfiguration {
    /// The path of `config/<name>`, or nil when neither place has it.
    public static func path(_ name: String) -> String? {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }  // ShippedConfiguration.swift, ConciergeYAML, Sources
        let candidates = [
            root.appendingPathComponent("config").appendingPathComponent(name).path,
            (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent("config/\(name)"),
        ]
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }
}
