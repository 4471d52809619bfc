import ConciergeRuntime
import Configuration
import Testing

/// The PostgreSQL session settings the fleet's configuration produces.
struct FleetConfigurationTests {
    static func fleet(_ values: [AbsoluteConfigKey: ConfigValue] = [:]) -> FleetConfiguration {
        FleetConfiguration(reader: ConfigReader(provider: InMemoryProvider(values: values)))
    }

    @Test func workerSessionsPlanOnceAndToolsKeepTheServerDefault() throws {
        let fleet = Self.fleet()
        let worker = try fleet.postgres(applicationName: "w", worker: true)
        #expect(worker.sessionSettings["plan_cache_mode"] == "force_generic_plan")
        #expect(worker.sessionSettings["random_page_cost"] == "1.1")
        let tool = try fleet.postgres(applicationName: "t")
        #expect(tool.sessionSettings["plan_cache_mode"] == nil)
        #expect(tool.sessionSettings["random_page_cost"] == "1.1")
        #expect(worker.applicationName == "w")
    }

    @Test func settingsComeFromConfiguration() throws {
        let fleet = Self.fleet([
            "postgres.plan_cache_mode": "auto",
            "postgres.random_page_cost": "4",
        ])
        let worker = try fleet.postgres(applicationName: "w", worker: true)
        #expect(worker.sessionSettings["plan_cache_mode"] == "auto")
        #expect(worker.sessionSettings["random_page_cost"] == "4")
    }
}
