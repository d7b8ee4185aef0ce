namespace Dsl.Runtime.Nn;

/// <summary>
/// A network layer or container. Children, parameters and buffers are registered in order and named as
/// PyTorch names them, so <see cref="StateDict"/> keys are PyTorch's (<c>layer1.0.conv1.weight</c>).
/// Disposing a module frees every tensor it owns.
/// </summary>
public abstract class Module : IDisposable
{
    private readonly List<(string Name, Module? Module)> children = [];
    private readonly List<(string Name, Tensor Tensor)> parameters = [];
    private readonly List<(string Name, Tensor Tensor)> buffers = [];

    public bool Training { get; private set; } = true;

    protected T RegisterModule<T>(string name, T module) where T : Module?
    {
        EnsureNewName(name);
        children.Add((name, module));
        return module;
    }

    /// <summary>Registers a trainable tensor; the module takes ownership of it.</summary>
    protected Tensor RegisterParameter(string name, Tensor value)
    {
        EnsureNewName(name);
        TensorScope.Detach(value);
        value.RequiresGrad = true;
        parameters.Add((name, value));
        return value;
    }

    /// <summary>Registers state that is saved but not trained (batch-norm statistics).</summary>
    protected Tensor RegisterBuffer(string name, Tensor value)
    {
        EnsureNewName(name);
        TensorScope.Detach(value);
        buffers.Add((name, value));
        return value;
    }

    private void EnsureNewName(string name)
    {
        if (children.Any(c => c.Name == name) || parameters.Any(p => p.Name == name) || buffers.Any(b => b.Name == name))
            throw new ArgumentException($"'{name}' is already registered in {GetType().Name}");
    }

    public IEnumerable<(string Name, Module Module)> NamedChildren()
    {
        foreach (var (name, module) in children)
            if (module is not null) yield return (name, module);
    }

    /// <summary>This module and every descendant, depth first, with dotted names ("" for this one).</summary>
    public IEnumerable<(string Name, Module Module)> NamedModules(string prefix = "")
    {
        yield return (prefix, this);
        foreach (var (name, child) in NamedChildren())
            foreach (var entry in child.NamedModules(Join(prefix, name)))
                yield return entry;
    }

    public IEnumerable<(string Name, Tensor Tensor)> NamedParameters(string prefix = "")
    {
        foreach (var (path, module) in NamedModules(prefix))
            foreach (var (name, tensor) in module.parameters)
                yield return (Join(path, name), tensor);
    }

    public IEnumerable<Tensor> Parameters() => NamedParameters().Select(p => p.Tensor);

    public IEnumerable<(string Name, Tensor Tensor)> NamedBuffers(string prefix = "")
    {
        foreach (var (path, module) in NamedModules(prefix))
            foreach (var (name, tensor) in module.buffers)
                yield return (Join(path, name), tensor);
    }

    /// <summary>
    /// Every parameter and buffer in PyTorch's state_dict order: a module's own parameters, then its
    /// buffers, then each child in turn. The tensors are the live ones, not copies.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> StateDict()
    {
        var entries = new List<KeyValuePair<string, Tensor>>();
        Collect(this, "", entries);
        return entries;

        static void Collect(Module module, string prefix, List<KeyValuePair<string, Tensor>> into)
        {
            foreach (var (name, tensor) in module.parameters) into.Add(new(Join(prefix, name), tensor));
            foreach (var (name, tensor) in module.buffers) into.Add(new(Join(prefix, name), tensor));
            foreach (var (name, child) in module.NamedChildren()) Collect(child, Join(prefix, name), into);
        }
    }

    /// <summary>
    /// Copies values into this module's parameters and buffers. Strict loading throws a
    /// <see cref="StateDictMismatchException"/> listing every missing, unexpected and mis-shaped key;
    /// non-strict loading copies what matches and reports the rest.
    /// </summary>
    public LoadReport LoadStateDict(IEnumerable<KeyValuePair<string, Tensor>> source, bool strict = true)
    {
        var own = StateDict().ToDictionary(e => e.Key, e => e.Value);
        var given = new Dictionary<string, Tensor>();
        foreach (var (key, value) in source) given[key] = value;

        var missing = own.Keys.Where(k => !given.ContainsKey(k)).ToList();
        var unexpected = given.Keys.Where(k => !own.ContainsKey(k)).ToList();
        var misShaped = new List<ShapeMismatch>();
        foreach (var (key, value) in given)
            if (own.TryGetValue(key, out var target) && !target.Shape.SequenceEqual(value.Shape))
                misShaped.Add(new ShapeMismatch(key, target.Shape, value.Shape));

        var report = new LoadReport(missing, unexpected, misShaped);
        if (strict && !report.IsExact) throw new StateDictMismatchException(report);

        using var noGrad = new NoGradScope();
        foreach (var (key, value) in given)
            if (own.TryGetValue(key, out var target) && target.Shape.SequenceEqual(value.Shape))
                target.CopyFrom(value);
        return report;
    }

    public void Train(bool on = true)
    {
        foreach (var (_, module) in NamedModules()) module.Training = on;
    }

    public void Eval() => Train(false);

    /// <summary>Moves every parameter and buffer to a device; references to them stay valid.</summary>
    public void To(Device device)
    {
        device.EnsureAvailable();
        ReplaceAll(t => t.To(device));
    }

    /// <summary>Stores 4-D weights in channels-last layout (NHWC), which oneDNN and cuDNN run faster.</summary>
    public void ToChannelsLast() => ReplaceAll(t => t.Dim == 4 ? t.ToChannelsLast() : null);

    private void ReplaceAll(Func<Tensor, Tensor?> convert)
    {
        using var noGrad = new NoGradScope();
        foreach (var (_, module) in NamedModules())
        {
            foreach (var (_, tensor) in module.parameters)
            {
                var replacement = convert(tensor);
                if (replacement is null) continue;
                tensor.ReplaceWith(replacement);
                tensor.RequiresGrad = true;
            }
            foreach (var (_, tensor) in module.buffers)
            {
                var replacement = convert(tensor);
                if (replacement is not null) tensor.ReplaceWith(replacement);
            }
        }
    }

    /// <summary>Drops every parameter's gradient (zero_grad with set_to_none, PyTorch's default).</summary>
    public void ZeroGrad()
    {
        foreach (var parameter in Parameters()) parameter.ClearGrad();
    }

    public long ParameterCount() => Parameters().Sum(p => p.NumElements);

    public void Dispose()
    {
        foreach (var (_, module) in NamedChildren()) module.Dispose();
        foreach (var (_, tensor) in parameters) tensor.Dispose();
        foreach (var (_, tensor) in buffers) tensor.Dispose();
        GC.SuppressFinalize(this);
    }

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;
}

/// <summary>A module with a typed forward pass.</summary>
public abstract class Module<TIn, TOut> : Module
{
    public abstract TOut Forward(TIn input);
}
