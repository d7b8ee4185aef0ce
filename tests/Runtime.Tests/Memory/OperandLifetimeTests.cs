using System.Runtime.CompilerServices;

namespace Dsl.Runtime.Tests.Memory;

/// <summary>
/// A tensor that nothing references any more must not be finalized (and its native tensor freed) while
/// libtorch may still be working on it; once its thread has moved on, it must become collectable again.
/// </summary>
public class OperandLifetimeTests
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference UseAScopelessTemporary()
    {
        var temporary = Tensor.Ones([4]);
        _ = temporary.Dim;   // its handle goes to a native call, as in Tensor.Ones([4]).Mul(2)
        return new WeakReference(temporary);
    }

    private static void CollectEverything()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    [Fact]
    public void TheLastOperandsOfAThreadStayReachable()
    {
        var weak = UseAScopelessTemporary();
        CollectEverything();
        Assert.True(weak.IsAlive, "a tensor handed to a native call was collected while its thread was still on that call");

        using (new TensorScope())
        {
            var other = Tensor.Zeros([1]);
            for (var i = 0; i < 64; i++) _ = other.Dim;
        }
        CollectEverything();
        Assert.False(weak.IsAlive, "an operand stayed reachable long after its thread moved on");
    }
}
