import Foundation

extension TestServices {
    /// Runs a command with standard streams on /dev/null and waits for it on a dedicated thread; returns its exit
    /// status (-1 if it could not start or was killed by a signal).
    ///
    /// Not Foundation's `Process`: it detects exit through an inherited descriptor, which daemons restarted by the
    /// command (the PostgreSQL postmaster, the RabbitMQ node) keep open, so it would never report termination.
    public static func run(_ arguments: [String]) async -> Int32 {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: spawnAndWait(arguments)) }
            thread.start()
        }
    }

    static func spawnAndWait(_ arguments: [String]) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for descriptor in [Int32(0), 1, 2] {
            posix_spawn_file_actions_addopen(
                &actions, descriptor, "/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY, 0)
        }
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, arguments[0], &actions, nil, argv, environ) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        // WIFEXITED / WEXITSTATUS by hand (the macros are not imported).
        return status & 0x7f == 0 ? (status >> 8) & 0xff : -1
    }
}
