// Compiled into the module ConciergePostgres with its configuration sources only (no libpq).
// `POSTGRES_URL` comes from the environment. Properties: no crash; a URL that parses has a `description` that does not
// depend on its password; the resolved SSL mode is one libpq accepts and never one that may fall back to plain text.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPostgresURL(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let url = FuzzInput(data, size).lossyText
    guard let configuration = try? PostgresConfiguration(url: url, environment: [:]) else { return 0 }
    var other = configuration
    other.password = "x"
    fuzzCheck(other.description == configuration.description, "description depends on the password")
    fuzzCheck(
        ["disable", "require", "verify-ca", "verify-full"].contains(configuration.sslMode ?? ""),
        "resolved sslmode \(configuration.sslMode ?? "nil")")
    fuzzCheck(
        !configuration.user.isEmpty && !configuration.host.isEmpty && !configuration.database.isEmpty, "empty part")
    return 0
}
