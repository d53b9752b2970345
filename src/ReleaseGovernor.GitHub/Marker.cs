namespace ReleaseGovernor.GitHub; public static class Marker {}
