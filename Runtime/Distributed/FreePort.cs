using System.Net;
using System.Net.Sockets;

namespace Dsl.Runtime.Distributed;

/// <summary>Finds a TCP port on the loopback interface that nothing listens on right now.</summary>
public static class FreePort
{
    public static int Pick()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
