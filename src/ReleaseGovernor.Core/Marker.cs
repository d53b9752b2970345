namespace ReleaseGovernor.Core; public static class Marker {}
