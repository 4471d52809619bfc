import Foundation
import Synchronization

/// A run of one of the package's executables (usually `conciergectl`) as a child process, for tests.
public struct CommandLineRun: Sendable {
    public var status: Int32
    /// What it printed on standard output and on standard error (logs).
    public var output: String
    public var errors: String

    /// Runs `executable` (a product of this package, `TestServices.executable`) with `arguments` from the repository's
    /// root, with this process's environment plus `environment`, and waits for it on a thread of its own (never a
    /// cooperative one). Both pipes are drained at once, so a chatty child cannot block on a full pipe.
    public static func run(
        _ arguments: [String], executable: String = "conciergectl", environment extra: [String: String] = [:]
    ) async -> CommandLineRun {
        await withCheckedContinuation { continuation in
            Thread {
                let process = Process()
                process.executableURL = TestServices.executable(executable)
                process.arguments = arguments
                process.currentDirectoryURL = URL(fileURLWithPath: TestServices.repositoryFile("."))
                process.environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
                let output = Pipe()
                let errors = Pipe()
                process.standardOutput = output
                process.standardError = errors
                do { try process.run() } catch {
                    continuation.resume(returning: CommandLineRun(status: -1, output: "", errors: "\(error)"))
                    return
                }
                let logged = LockedData()
                let drained = DispatchSemaphore(value: 0)
                Thread {
                    logged.set(errors.fileHandleForReading.readDataToEndOfFile())
                    drained.signal()
                }.start()
                let printed = output.fileHandleForReading.readDataToEndOfFile()
                drained.wait()
                process.waitUntilExit()
                continuation.resume(
                    returning: CommandLineRun(
                        status: process.terminationStatus, output: String(decoding: printed, as: UTF8.self),
                        errors: String(decoding: logged.get(), as: UTF8.self)
                    )
                )
            }.start()
        }
    }
}

/// Data handed from the thread draining standard error to the one waiting for it.
private final class LockedData: Sendable {
    private let data = Mutex(Data())
    func set(_ value: Data) { self.data.withLock { $0 = value } }
    func get() -> Data { self.data.withLock { $0 } }
}
