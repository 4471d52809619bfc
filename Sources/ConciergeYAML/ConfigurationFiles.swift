import Foundation

/// Reading configuration files from disk, with the errors every loader gives: one file by path, or every `*.yaml` (or
/// other suffix) of a directory (one file per language or article, in name order).
public enum ConfigurationFiles {
    /// The text of the file at `path` and its name (for errors); `configuration` names the kind of file in errors.
    public static func read(
        path: String, configuration: String
    ) throws(ConfigurationFileError) -> (text: String, file: String) {
        let file = (path as NSString).lastPathComponent
        do {
            return (try String(contentsOfFile: path, encoding: .utf8), file)
        } catch {
            throw ConfigurationFileError(
                .unreadable, configuration: configuration, file: file, "cannot read \(path): \(error)")
        }
    }

    /// Every file of `directory` whose name ends in `suffix` (`*.yaml` by default), sorted by name, with its text.
    public static func readDirectory(
        _ directory: String, configuration: String, suffix: String = ".yaml"
    ) throws(ConfigurationFileError) -> [(file: String, text: String)] {
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(suffix) }
                .sorted()
        } catch {
            throw ConfigurationFileError(
                .unreadable, configuration: configuration, file: "", "cannot list \(directory): \(error)")
        }
        var contents: [(file: String, text: String)] = []
        for file in files {
            do {
                contents.append(
                    (
                        file,
                        try String(
                            contentsOfFile: (directory as NSString).appendingPathComponent(file), encoding: .utf8)
                    )
                )
            } catch {
                throw ConfigurationFileError(
                    .unreadable, configuration: configuration, file: file, "cannot read: \(error)")
            }
        }
        return contents
    }

    /// A language file must be named after the language it declares (`sv.yaml` declares `sv`).
    public static func requireNamed(
        _ file: String, after code: String, configuration: String
    ) throws(ConfigurationFileError) {
        guard code == String(file.dropLast(".yaml".count)) else {
            throw ConfigurationFileError(
                .duplicateLanguage, configuration: configuration, file: file,
                "declares language '\(code)'; the file must be named \(code).yaml")
        }
    }
}
