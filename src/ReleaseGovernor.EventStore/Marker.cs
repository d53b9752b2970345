namespace ReleaseGovernor.EventStore; public static class Marker {}
