internal import CLibPQ
import ConciergeSupport
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One libpq `PGconn` and its prepared-statement cache.
///
/// Not `Sendable`: it is created, used and finished only on its ``PostgresConnection``'s worker thread.
final class LibPQConnection {
    /// The `PGconn *`; nil once finished.
    private var handle: OpaquePointer?
    /// SQL text to server-side prepared statement name, for this connection only (a new connection starts empty,
    /// so statements are prepared again after a reconnect).
    private var statements: [String: String] = [:]
    private var statementCounter = 0
    /// Keeps the notice receiver's logger alive as long as the `PGconn`.
    private let notices: NoticeSink

    /// Prepared statements kept before the cache is dropped (`DEALLOCATE ALL`) between jobs.
    static let statementCacheLimit = 1_000

    private init(handle: OpaquePointer, notices: NoticeSink) {
        self.handle = handle
        self.notices = notices
    }

    deinit {
        // Backstop only: the session finishes connections explicitly.
        finish()
    }

    // MARK: Connecting

    /// The settings every session gets (the decoders rely on them), then the configuration's own, as libpq
    /// `options` (`-c name=value`, spaces and backslashes in values escaped with a backslash).
    static func options(_ settings: [String: String]) -> String {
        var text = "-c TimeZone=UTC -c DateStyle=ISO -c bytea_output=hex -c extra_float_digits=1"
        for (name, value) in settings.sorted(by: { $0.key < $1.key }) {
            let valid =
                !name.isEmpty
                && name.unicodeScalars.allSatisfy {
                    $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == ".")
                }
            precondition(valid, "invalid PostgreSQL setting name \(name)")
            text += " -c \(name)="
            for character in value {
                if character == " " || character == "\\" { text.append("\\") }
                text.append(character)
            }
        }
        return text
    }

    /// Blocks for up to `connectTimeout`.
    static func connect(configuration: PostgresConfiguration, logger: Logger) throws -> LibPQConnection {
        let timeoutSeconds = max(1, Int(configuration.connectTimeout.inSecondsRoundedUp))
        var parameters: [(String, String)] = [
            ("host", configuration.host),
            ("port", String(configuration.port)),
            ("user", configuration.user),
            ("dbname", configuration.database),
            ("application_name", configuration.applicationName),
            ("connect_timeout", String(timeoutSeconds)),
            ("client_encoding", "UTF8"),
            ("options", Self.options(configuration.sessionSettings)),
            // Notice a dead peer (e.g. a host that vanished) within about a minute instead of TCP's hours.
            ("keepalives", "1"),
            ("keepalives_idle", "30"),
            ("keepalives_interval", "10"),
            ("keepalives_count", "3"),
        ]
        if let password = configuration.password { parameters.append(("password", password)) }
        if let sslMode = configuration.sslMode { parameters.append(("sslmode", sslMode)) }
        if let path = configuration.sslRootCertificate { parameters.append(("sslrootcert", path)) }
        if let path = configuration.sslCertificate { parameters.append(("sslcert", path)) }
        if let path = configuration.sslKey { parameters.append(("sslkey", path)) }
        if let path = configuration.sslRevocationList { parameters.append(("sslcrl", path)) }

        let keywords: [UnsafePointer<CChar>?] = parameters.map { UnsafePointer(strdup($0.0)) } + [nil]
        let values: [UnsafePointer<CChar>?] = parameters.map { UnsafePointer(strdup($0.1)) } + [nil]
        defer {
            for pointer in keywords { free(UnsafeMutablePointer(mutating: pointer)) }
            for pointer in values { free(UnsafeMutablePointer(mutating: pointer)) }
        }
        guard let handle = PQconnectdbParams(keywords, values, 0) else {
            throw PostgresError(code: .connectionFailed, operation: "connect", serverMessage: "out of memory")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = PQerrorMessage(handle).map { String(cString: $0) }
            PQfinish(handle)
            throw PostgresError(
                code: .connectionFailed, operation: "connect",
                serverMessage: message?.trimmingTrailingNewlines()
            )
        }
        let notices = NoticeSink(logger: logger)
        PQsetNoticeReceiver(
            handle,
            { context, result in
                guard let context, let result else { return }
                let sink = Unmanaged<NoticeSink>.fromOpaque(context).takeUnretainedValue()
                sink.receive(result)
            },
            Unmanaged.passUnretained(notices).toOpaque()
        )
        return LibPQConnection(handle: handle, notices: notices)
    }

    /// Closes the connection (idempotent).
    func finish() {
        if let handle {
            PQfinish(handle)
            self.handle = nil
        }
        statements.removeAll()
    }

    // MARK: State

    /// Whether libpq still considers the connection usable. A server that went away while the connection was idle is
    /// only noticed by the next statement.
    var isHealthy: Bool {
        guard let handle else { return false }
        return PQstatus(handle) == CONNECTION_OK
    }

    enum TransactionStatus {
        case idle, active, inTransaction, inError, unknown
    }

    var transactionStatus: TransactionStatus {
        guard let handle else { return .unknown }
        switch PQtransactionStatus(handle) {
        case PQTRANS_IDLE: return .idle
        case PQTRANS_ACTIVE: return .active
        case PQTRANS_INTRANS: return .inTransaction
        case PQTRANS_INERROR: return .inError
        default: return .unknown
        }
    }

    /// The server process id, for diagnostics.
    var backendPID: Int32 {
        guard let handle else { return 0 }
        return PQbackendPID(handle)
    }

    /// Drops all prepared statements when the cache has grown past its limit (callers with ever-changing SQL text).
    /// Only called outside a transaction.
    func trimStatementCacheIfNeeded() throws {
        guard statements.count > Self.statementCacheLimit else { return }
        _ = try executeSimple("DEALLOCATE ALL", operation: "deallocate")
        statements.removeAll()
    }

    // MARK: Statements

    /// Simple-query protocol (`PQexec`): any number of statements, no parameters. Returns the last result.
    func executeSimple(_ sql: String, operation: String) throws -> PostgresResult {
        let handle = try liveHandle(operation: operation)
        let result = PQexec(handle, sql)
        return try consume(result, operation: operation)
    }

    /// Extended protocol: prepares `sql` once per connection (unnamed parameters typed by the server), then executes
    /// it with text-format parameters and text-format results.
    func executePrepared(
        _ sql: String, _ parameters: [any PostgresEncodable], operation: String = "execute"
    ) throws -> PostgresResult {
        let handle = try liveHandle(operation: operation)
        let name = try preparedName(for: sql, handle: handle)
        let result = try Self.withParameterValues(parameters) { count, values in
            PQexecPrepared(handle, name, count, values, nil, nil, 0)
        }
        return try consume(result, operation: operation)
    }

    /// Calls `body` with the parameters as C strings (NULL for SQL NULL), all in one NUL-separated buffer: one
    /// allocation, no per-parameter C strings.
    private static func withParameterValues<R>(
        _ parameters: [any PostgresEncodable], _ body: (Int32, UnsafePointer<UnsafePointer<CChar>?>?) throws -> R
    ) throws -> R {
        let count = parameters.count
        guard count <= Int(Int16.max) * 2 + 1 else {
            throw PostgresError(code: .invalidParameter, operation: "encode", context: "more than 65535 parameters")
        }
        var buffer: [UInt8] = [0]
        var offsets: [Int] = []
        offsets.reserveCapacity(count)
        for (position, parameter) in parameters.enumerated() {
            guard let text = parameter.postgresText() else {
                offsets.append(-1)
                continue
            }
            offsets.append(buffer.count)
            let hasNUL: Bool =
                text.utf8.withContiguousStorageIfAvailable { bytes in
                    buffer.append(contentsOf: bytes)
                    return bytes.contains(0)
                }
                ?? {
                    buffer.append(contentsOf: text.utf8)
                    return text.utf8.contains(0)
                }()
            guard !hasNUL else {
                throw PostgresError(
                    code: .invalidParameter, operation: "encode",
                    context: "parameter $\(position + 1) contains a NUL character"
                )
            }
            buffer.append(0)
        }
        return try buffer.withUnsafeBufferPointer { bytes in
            let base = UnsafeRawPointer(bytes.baseAddress!)
            let values: [UnsafePointer<CChar>?] = offsets.map { offset in
                offset < 0 ? nil : (base + offset).assumingMemoryBound(to: CChar.self)
            }
            return try values.withUnsafeBufferPointer { values in
                try body(Int32(count), values.baseAddress)
            }
        }
    }

    private func preparedName(for sql: String, handle: OpaquePointer) throws -> String {
        if let name = statements[sql] { return name }
        statementCounter += 1
        let name = "concierge_\(statementCounter)"
        let result = PQprepare(handle, name, sql, 0, nil)
        _ = try consume(result, operation: "prepare")
        statements[sql] = name
        return name
    }

    // MARK: Pipelines

    /// One statement of a pipeline.
    struct PipelineStep {
        var sql: String
        var parameters: [any PostgresEncodable]
    }

    /// What was queued for one step.
    private struct Queued {
        /// The statement's prepare went with it (first use on this connection).
        var prepared: Bool
        /// Its execution was queued (false only when a parameter could not be encoded after the prepare was queued).
        var executed: Bool
    }

    /// Sends all `steps` at once in libpq's pipeline mode (statements not yet prepared on this connection are
    /// prepared in the same pipeline), then reads their results: one network round trip instead of one per statement.
    ///
    /// The server runs the steps in order and, after the first failure, skips the rest up to the pipeline's end: that
    /// failure is thrown. Steps after a `BEGIN` stay inside that transaction, so a failure leaves it aborted (the
    /// caller rolls back).
    func executePipeline(_ steps: [PipelineStep], operation: String) throws -> [PostgresResult] {
        let handle = try liveHandle(operation: operation)
        guard !steps.isEmpty else { return [] }
        do {
            return try runPipeline(steps, handle: handle, operation: operation)
        } catch {
            // A connection left in pipeline mode (the exchange broke off half-way) is unusable: drop it, so the
            // session reconnects.
            if PQpipelineStatus(handle) != PQ_PIPELINE_OFF {
                finish()
                throw PostgresError(
                    code: .connectionLost, operation: operation, context: "pipeline broken off: \(error)")
            }
            throw error
        }
    }

    private func runPipeline(_ steps: [PipelineStep], handle: OpaquePointer, operation: String) throws
        -> [PostgresResult]
    {
        guard PQenterPipelineMode(handle) == 1 else { throw connectionError(operation: operation) }

        // Names this pipeline prepares, by SQL text: they join the cache once the server accepted them.
        var preparing: [String: String] = [:]
        var queued: [Queued] = []
        queued.reserveCapacity(steps.count)
        var encodingFailure: PostgresError?
        for step in steps {
            var entry = Queued(prepared: false, executed: false)
            let name: String
            if let known = statements[step.sql] ?? preparing[step.sql] {
                name = known
            } else {
                statementCounter += 1
                name = "concierge_\(statementCounter)"
                guard PQsendPrepare(handle, name, step.sql, 0, nil) == 1 else {
                    throw connectionError(operation: operation)
                }
                preparing[step.sql] = name
                entry.prepared = true
            }
            do {
                let sent = try Self.withParameterValues(step.parameters) { count, values in
                    PQsendQueryPrepared(handle, name, count, values, nil, nil, 0)
                }
                guard sent == 1 else { throw connectionError(operation: operation) }
                entry.executed = true
                queued.append(entry)
            } catch let error as PostgresError where error.code == .invalidParameter {
                // Nothing more is sent; what was queued still has to be read before the pipeline ends.
                queued.append(entry)
                encodingFailure = error
                break
            }
        }
        // Sends everything (libpq reads the server's replies into its buffer while a send would block, so a large
        // pipeline cannot deadlock against a server busy sending results).
        guard PQpipelineSync(handle) == 1 else { throw connectionError(operation: operation) }

        var results: [PostgresResult] = []
        results.reserveCapacity(queued.count)
        var failure: PostgresError?
        for (step, entry) in zip(steps, queued) {
            if entry.prepared, try readPipelineResult(handle, operation: "prepare", failure: &failure) != nil {
                statements[step.sql] = preparing[step.sql]
            }
            if entry.executed, let result = try readPipelineResult(handle, operation: operation, failure: &failure) {
                results.append(result)
            }
        }
        // The end-of-pipeline marker.
        guard let sync = PQgetResult(handle) else { throw connectionError(operation: operation) }
        let syncStatus = PQresultStatus(sync)
        PQclear(sync)
        guard syncStatus == PGRES_PIPELINE_SYNC, PQexitPipelineMode(handle) == 1 else {
            throw PostgresError(
                code: isHealthy ? .queryFailed : .connectionLost, operation: operation,
                context: "pipeline ended out of step (status \(syncStatus.rawValue))"
            )
        }
        if let failure = failure ?? encodingFailure { throw failure }
        return results
    }

    /// Reads one statement's result and the NULL that ends it. Returns nil for a failed or skipped statement
    /// (recording the first failure); throws only when the connection failed.
    private func readPipelineResult(
        _ handle: OpaquePointer, operation: String, failure: inout PostgresError?
    ) throws -> PostgresResult? {
        guard let result = PQgetResult(handle) else { throw connectionError(operation: operation) }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        var value: PostgresResult?
        switch status {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK:
            value = Self.copy(result)
        case PGRES_PIPELINE_ABORTED:
            break
        default:
            let error = error(from: result, status: status, operation: operation)
            if error.isConnectionLoss { throw error }
            if failure == nil { failure = error }
        }
        while let extra = PQgetResult(handle) {
            PQclear(extra)
        }
        return value
    }

    private func liveHandle(operation: String) throws -> OpaquePointer {
        guard let handle else { throw PostgresError(code: .connectionLost, operation: operation) }
        return handle
    }

    /// Converts a `PGresult` into a ``PostgresResult`` or a ``PostgresError``, and clears it.
    private func consume(_ result: OpaquePointer?, operation: String) throws -> PostgresResult {
        guard let result else {
            throw connectionError(operation: operation)
        }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            throw error(from: result, status: status, operation: operation)
        }
        return Self.copy(result)
    }

    private func connectionError(operation: String) -> PostgresError {
        let message = handle.flatMap { PQerrorMessage($0) }.map { String(cString: $0) }
        let lost = !isHealthy
        return PostgresError(
            code: lost ? .connectionLost : .queryFailed, operation: operation,
            serverMessage: message?.trimmingTrailingNewlines()
        )
    }

    private func error(from result: OpaquePointer, status: ExecStatusType, operation: String) -> PostgresError {
        func field(_ code: Unicode.Scalar) -> String? {
            PQresultErrorField(result, Int32(code.value)).map { String(cString: $0) }
        }
        let sqlState = field("C")
        var message = field("M")
        if message == nil, let text = PQresultErrorMessage(result) {
            message = String(cString: text).trimmingTrailingNewlines()
        }
        if message?.isEmpty ?? true, let handle, let text = PQerrorMessage(handle) {
            message = String(cString: text).trimmingTrailingNewlines()
        }
        let code: PostgresError.Code = isHealthy ? PostgresError.code(forSQLState: sqlState) : .connectionLost
        return PostgresError(
            code: code, sqlState: sqlState, operation: operation, constraint: field("n"),
            serverMessage: message, detail: field("D"),
            context: status == PGRES_FATAL_ERROR || status == PGRES_NONFATAL_ERROR
                ? nil : "unexpected result status \(status.rawValue)"
        )
    }

    /// Copies a successful result's cells into one buffer.
    private static func copy(_ result: OpaquePointer) -> PostgresResult {
        let rowCount = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        let affected = PQcmdTuples(result).flatMap { Int(String(cString: $0)) } ?? 0
        let tag = PQcmdStatus(result).map { String(cString: $0) } ?? ""
        guard columnCount > 0 else {
            return PostgresResult(storage: .empty, affectedRows: affected, commandTag: tag)
        }
        var names: [String] = []
        names.reserveCapacity(columnCount)
        for column in 0..<columnCount {
            names.append(PQfname(result, Int32(column)).map { String(cString: $0) } ?? "?column?")
        }
        let cellCount = rowCount * columnCount
        var offsets = [Int](repeating: 0, count: cellCount)
        var lengths = [Int](repeating: -1, count: cellCount)
        var total = 0
        for row in 0..<rowCount {
            for column in 0..<columnCount where PQgetisnull(result, Int32(row), Int32(column)) == 0 {
                total += Int(PQgetlength(result, Int32(row), Int32(column)))
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(total)
        var cell = 0
        for row in 0..<rowCount {
            for column in 0..<columnCount {
                defer { cell += 1 }
                guard PQgetisnull(result, Int32(row), Int32(column)) == 0,
                    let value = PQgetvalue(result, Int32(row), Int32(column))
                else { continue }
                let length = Int(PQgetlength(result, Int32(row), Int32(column)))
                offsets[cell] = bytes.count
                lengths[cell] = length
                bytes.append(
                    contentsOf: UnsafeRawBufferPointer(start: UnsafeRawPointer(value), count: length)
                )
            }
        }
        let storage = PostgresResultStorage(
            columnNames: names, rowCount: rowCount, bytes: bytes, offsets: offsets, lengths: lengths
        )
        return PostgresResult(storage: storage, affectedRows: affected, commandTag: tag)
    }
}

/// Receives server notices (e.g. "relation already exists, skipping") instead of libpq printing them to stderr.
private final class NoticeSink {
    let logger: Logger

    init(logger: Logger) { self.logger = logger }

    func receive(_ result: OpaquePointer) {
        let sqlState = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
        let severity = PQresultErrorField(result, Int32(UInt8(ascii: "V"))).map { String(cString: $0) }
        logger.debug(
            "PostgreSQL notice",
            metadata: [PostgresLogKey.sqlState: "\(sqlState ?? "")", PostgresLogKey.severity: "\(severity ?? "")"]
        )
        if logger.logLevel <= .trace, let message = PQresultErrorField(result, Int32(UInt8(ascii: "M"))) {
            logger.trace("PostgreSQL notice text", metadata: [PostgresLogKey.notice: "\(String(cString: message))"])
        }
    }
}

extension String {
    fileprivate func trimmingTrailingNewlines() -> String {
        var text = Substring(self)
        while let last = text.last, last.isNewline || last == " " { text = text.dropLast() }
        return String(text)
    }
}
