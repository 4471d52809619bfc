import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The caller-facing half of a connection loop: a Mutex-protected command queue plus a wake-up pipe whose read
/// end the loop's `poll()` watches, so that a queued command (an ack, a publish) wakes the loop at once.
///
/// `Sendable` is earned: the queue is behind a `Mutex`, the descriptors are immutable and closed only in
/// `deinit`, when neither the loop nor any caller can use them any more.
final class AMQPLoopHandle<Command: Sendable>: Sendable {
    private struct Inbox {
        var commands: [Command] = []
        var closed = false
    }

    private let inbox = Mutex(Inbox())
    let wakeReadDescriptor: Int32
    private let wakeWriteDescriptor: Int32

    init() {
        var descriptors: [Int32] = [-1, -1]
        let result = pipe(&descriptors)
        precondition(result == 0, "pipe() failed: \(errno)")
        for descriptor in descriptors {
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        }
        wakeReadDescriptor = descriptors[0]
        wakeWriteDescriptor = descriptors[1]
    }

    deinit {
        close(wakeReadDescriptor)
        close(wakeWriteDescriptor)
    }

    /// Queues a command and wakes the loop. Returns `false` (and queues nothing) once the loop is closed.
    func submit(_ command: Command) -> Bool {
        let (accepted, wasEmpty) = inbox.withLock { inbox -> (Bool, Bool) in
            guard !inbox.closed else { return (false, false) }
            inbox.commands.append(command)
            return (true, inbox.commands.count == 1)
        }
        if accepted && wasEmpty { wake() }
        return accepted
    }

    /// Wakes the loop (e.g. to recompute its poll deadline).
    func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWriteDescriptor, &byte, 1)  // EAGAIN means the pipe is already full: the loop is awake.
    }

    /// Loop side: empties the wake-up pipe, then takes the queued commands (in this order, so a command queued
    /// after the take always leaves a byte in the pipe).
    func takeCommands() -> [Command] {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(wakeReadDescriptor, &buffer, buffer.count) > 0 {}
        return inbox.withLock { inbox in
            defer { inbox.commands.removeAll(keepingCapacity: true) }
            return inbox.commands
        }
    }

    /// Loop side: refuses further commands and returns the ones still queued.
    func closeInbox() -> [Command] {
        inbox.withLock { inbox in
            inbox.closed = true
            defer { inbox.commands.removeAll() }
            return inbox.commands
        }
    }

    var isClosed: Bool { inbox.withLock { $0.closed } }
}
