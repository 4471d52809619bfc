import Foundation

/// A document a command writes: to the file `path` (replaced atomically), or as it is to standard output when nil.
func write(_ text: String, to path: String?) throws {
    if let path {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    } else {
        print(text, terminator: "")
    }
}
