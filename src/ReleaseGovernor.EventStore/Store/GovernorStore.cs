using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using JasperFx;
using JasperFx.Events;
using Marten;
using Npgsql;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.EventStore.Projections;
using Weasel.Core;

namespace ReleaseGovernor.EventStore.Store;

/// <summary>
/// The Marten document store of the governor: string stream ids, the stable snake_case event names already stored,
/// correlation, causation and headers on every event, our JSON shape, and the documents we keep next to the events.
/// One per data source and process (building a store is costly; sessions are cheap).
/// </summary>
public static class GovernorStore
{
    private static readonly ConditionalWeakTable<NpgsqlDataSource, DocumentStore> Stores = new();

    public static DocumentStore For(NpgsqlDataSource dataSource) => Stores.GetValue(dataSource, ds => new DocumentStore(Options(ds)));

    public static StoreOptions Options(NpgsqlDataSource dataSource)
    {
        var o = new StoreOptions();
        o.Connection(dataSource);
        o.DatabaseSchemaName = "public";
        // The schema is applied once, explicitly, under the migration lock (SchemaMigrator), never by a session.
        o.AutoCreateSchemaObjects = AutoCreate.None;
        o.Events.StreamIdentity = StreamIdentity.AsString;
        o.Events.MetadataConfig.HeadersEnabled = true;
        o.Events.MetadataConfig.CorrelationIdEnabled = true;
        o.Events.MetadataConfig.CausationIdEnabled = true;
        // The two indexes the previous release created under these names; without the flags Marten would drop them.
        o.Events.EnableUniqueIndexOnEventId = true;
        o.Events.EnableEventTypeIndex = true;
        foreach (var name in EventTypes.AllNames)
            o.Events.MapEventType(EventTypes.TypeOf(name)!, name);
        // Events and documents keep the one JSON shape of the product (snake_case, enums as snake_case strings).
        o.UseSystemTextJsonForSerialization(new JsonSerializerOptions(EventJson.Options), EnumStorage.AsString, Casing.SnakeCase, json =>
        {
            // Marten adds its own enum converter (member names as written); ours (snake_case) must win, as before.
            foreach (var converter in json.Converters.OfType<JsonStringEnumConverter>().ToList()) json.Converters.Remove(converter);
            json.Converters.Insert(0, new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        });
        o.Schema.For<ReleaseSnapshot>().Identity(s => s.Id);
        o.Schema.For<ShaRecord>().Identity(s => s.Id);
        return o;
    }
}
