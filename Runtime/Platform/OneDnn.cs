namespace Dsl.Runtime.Platform;

/// <summary>
/// Whether libtorch's oneDNN convolutions are used in this process. libtorch 2.10's oneDNN computed wrong input
/// gradients (some NaN) and wrong bfloat16 outputs for convolutions of eight channels or fewer on an AMD EPYC with
/// AVX-512, and crashed on some, where libtorch's own kernels and PyTorch 1.13 were right: training there went to NaN.
/// So when libtorch loads, a small convolution is checked against float64 (a millisecond); where it disagrees,
/// oneDNN is turned off for the process (libtorch then runs its own, slower kernels) and <see cref="Notice"/> says so.
/// A bfloat16 run, 4.4× slower without oneDNN, may take it back with <see cref="Admit"/> once its own model has
/// passed a check of its own (<c>dsl</c> runs that check in a child process, since oneDNN also crashed there).
/// <c>DSL_ONEDNN=on</c> skips the check, <c>DSL_ONEDNN=off</c> turns oneDNN off without it.
/// </summary>
public static class OneDnn
{
    public const string Variable = "DSL_ONEDNN";

    private static bool enabled = true;
    private static string? offNotice;
    private static string? wrongAt;
    private static string why = "not checked";

    /// <summary>What the load-time check found wrong (oneDNN is then off until <see cref="Admit"/>); null where it agreed or did not run.</summary>
    public static string? WrongAt
    {
        get
        {
            TorchRuntime.EnsureLoaded();
            return wrongAt;
        }
    }

    /// <summary>Whether convolutions may run through oneDNN (libtorch's choice, and the inference form's fused calls).</summary>
    public static bool Enabled
    {
        get
        {
            TorchRuntime.EnsureLoaded();
            return enabled;
        }
    }

    /// <summary>Why oneDNN is off, for a log; null while it is on.</summary>
    public static string? Notice
    {
        get
        {
            TorchRuntime.EnsureLoaded();
            return enabled ? null : offNotice;
        }
    }

    /// <summary>On or off, and why, in a few words: "on (checked)", "off (computed float32 NCHW input gradient wrong)".</summary>
    public static string Status
    {
        get
        {
            TorchRuntime.EnsureLoaded();
            return $"{(enabled ? "on" : "off")} ({why})";
        }
    }

    /// <summary>Runs once, from <see cref="TorchRuntime.EnsureLoaded"/>.</summary>
    internal static void Configure()
    {
        var setting = Environment.GetEnvironmentVariable(Variable)?.Trim().ToLowerInvariant();
        switch (setting)
        {
            case "on":
                why = $"{Variable}=on";
                return;
            case "off":
                why = $"{Variable}=off";
                Disable($"oneDNN is off ({Variable}=off): convolutions run libtorch's own kernels");
                return;
            case null or "" or "check":
                wrongAt = SelfCheck.Disagreement();
                why = wrongAt is null ? "checked" : $"computed {wrongAt} wrong";
                if (wrongAt is not null)
                    Disable($"libtorch's oneDNN convolutions computed wrong results on this CPU ({wrongAt}); oneDNN is off and "
                        + $"convolutions run libtorch's own, slower kernels ({Variable}=on keeps it)");
                return;
            default:
                throw new InvalidOperationException($"environment variable {Variable}='{setting}' is not one of on, off, check");
        }
    }

    /// <summary>Where the load-time check turned oneDNN off (<see cref="WrongAt"/>), turns it back on for a run whose model
    /// passed its model check, or off again for one whose model did not; the caller logs why.</summary>
    public static void Admit(bool admitted)
    {
        if (WrongAt is null) throw new InvalidOperationException("oneDNN was not turned off by the load-time check; there is nothing to admit");
        Use(admitted);
        why = admitted ? $"computed {wrongAt} wrong, but this run's model checked right" : $"computed {wrongAt} wrong";
    }

    private static void Disable(string notice)
    {
        Use(false);
        offNotice = notice;
    }

    internal static void Use(bool on)
    {
        LibTorchContext.UseOneDnn(on);
        enabled = on;
    }

    /// <summary>
    /// A 3×3 convolution of 8 channels, batch 16, forward and backward in float32 (NCHW and NHWC) and forward in
    /// bfloat16 NCHW, against float64, which libtorch computes without oneDNN. Shapes that crashed are not tried.
    /// </summary>
    private static class SelfCheck
    {
        public static string? Disagreement()
        {
            using var scope = NewDisposeScope();
            using var enableGrad = enable_grad();
            var generator = new Generator(20_190_501);
            var input = randn([16, 8, 8, 8], generator: generator);
            var weight = randn([8, 8, 3, 3], generator: generator) * 0.2;
            var upstream = randn([16, 8, 8, 8], generator: generator);
            var exact = Gradients(input.to(float64), weight.to(float64), upstream.to(float64));

            foreach (var channelsLast in new[] { false, true })
            {
                var (x, w, g) = channelsLast
                    ? (input.ToChannelsLast(), weight.ToChannelsLast(), upstream.ToChannelsLast())
                    : (input, weight, upstream);
                var actual = Gradients(x, w, g);
                var layout = channelsLast ? "NHWC" : "NCHW";
                foreach (var (name, value, reference) in new[] { ("output", actual.Output, exact.Output), ("input gradient", actual.Input, exact.Input), ("weight gradient", actual.Weight, exact.Weight) })
                    if (!Agrees(value, reference, 1e-4)) return $"float32 {layout} {name}";
            }
            using (no_grad())
            {
                var half = nn.functional.conv2d(input.to(bfloat16), weight.to(bfloat16), padding: [1, 1]);
                if (!Agrees(half, exact.Output, 2e-2)) return "bfloat16 NCHW output";
            }
            return null;
        }

        private static (Tensor Output, Tensor Input, Tensor Weight) Gradients(Tensor input, Tensor weight, Tensor upstream)
        {
            var x = input.detach().requires_grad_();
            var w = weight.detach().requires_grad_();
            var y = nn.functional.conv2d(x, w, padding: [1, 1]);
            (y * upstream).sum().backward();
            return (y.detach(), x.grad!, w.grad!);
        }

        private static bool Agrees(Tensor actual, Tensor exact, double tolerance)
        {
            var error = ((actual.to(float64) - exact).norm() / exact.norm()).item<double>();
            return error <= tolerance;
        }
    }
}
