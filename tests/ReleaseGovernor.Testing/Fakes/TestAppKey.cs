using System.Security.Cryptography;

namespace ReleaseGovernor.Testing.Fakes;

/// <summary>One RSA key pair for the test run, standing in for a GitHub App's private key.</summary>
public static class TestAppKey
{
    private static readonly Lazy<RSA> Key = new(() => RSA.Create(2048));

    /// <summary>PKCS#1 PEM, the format GitHub hands out.</summary>
    public static string PrivateKeyPem => Key.Value.ExportRSAPrivateKeyPem();

    public static RSA PublicKey()
    {
        var rsa = RSA.Create();
        rsa.ImportRSAPublicKey(Key.Value.ExportRSAPublicKey(), out _);
        return rsa;
    }
}
