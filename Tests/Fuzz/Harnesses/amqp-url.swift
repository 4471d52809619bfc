// Compiled into the module ConciergeAMQP with its configuration sources only (no rabbitmq-c).
// `AMQP_URL` and `amqp.url` come from the environment and configuration files. Properties: no crash; a URL that
// parses has a `description` that does not depend on its password.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAMQPURL(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let url = FuzzInput(data, size).lossyText
    guard let configuration = try? AMQPConfiguration(url: url) else { return 0 }
    _ = configuration.heartbeatSeconds
    for endpoint in configuration.endpoints { _ = configuration.at(endpoint) }
    var other = configuration
    other.password = "x"
    fuzzCheck(other.description == configuration.description, "description depends on the password")
    return 0
}
