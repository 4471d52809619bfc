/// A command line an operator can paste into a POSIX shell (`conciergectl topology --policy` prints the rabbitmqctl
/// command that sets the dead-letter queue's bound).
public enum ShellCommandLine {
    /// The words joined by spaces, each one holding a space, a brace, a double quote, `$`, `\` or `^` in single
    /// quotes. Words holding a single quote are not supported (the policy's never do).
    public static func line(_ words: [String]) -> String {
        words.map { $0.contains(where: { " {}\"$\\^".contains($0) }) ? "'\($0)'" : $0 }.joined(separator: " ")
    }
}
