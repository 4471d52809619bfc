import AgentGateway
import ConciergeRuntime

// The agent app: sign-in, pages and WebSocket for gig agents, speaking AMQP to the escalation worker (see
// AgentGateway.AgentGatewayApp and GatewaySettings for the keys).
try await WorkerApp.run(AgentGatewayApp.self)
