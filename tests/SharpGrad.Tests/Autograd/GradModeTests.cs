namespace SharpGrad.Tests.Autograd;

/// <summary>NoGrad / EnableGrad / SetGradEnabled: nesting, restoring, delegate forms, per-thread state.</summary>
public class GradModeTests
{
    private static Tensor Leaf() => Torch.Tensor(new[] { 1f, 2f }, requiresGrad: true);

    [Fact]
    public void Grad_is_enabled_by_default_and_NoGrad_disables_it_until_disposed()
    {
        Assert.True(Torch.IsGradEnabled());
        using (Torch.NoGrad())
        {
            Assert.False(Torch.IsGradEnabled());
        }
        Assert.True(Torch.IsGradEnabled());
    }

    [Fact]
    public void Results_under_NoGrad_have_no_grad_fn_and_do_not_require_grad()
    {
        var x = Leaf();
        Tensor y;
        using (Torch.NoGrad()) y = (x * 2).Exp().Sum();
        Assert.Null(y.GradFn);
        Assert.False(y.RequiresGrad);
        Assert.True(y.IsLeaf);
        Assert.True(x.RequiresGrad); // the leaf itself is unchanged
        Assert.NotNull((x * 2).GradFn);
    }

    [Fact]
    public void Scopes_nest_and_each_restores_what_it_found()
    {
        using (Torch.NoGrad())
        {
            using (Torch.EnableGrad())
            {
                Assert.True(Torch.IsGradEnabled());
                Assert.NotNull((Leaf() * 2).GradFn);
                using (Torch.SetGradEnabled(false))
                {
                    Assert.False(Torch.IsGradEnabled());
                    using (Torch.NoGrad()) Assert.False(Torch.IsGradEnabled());
                    Assert.False(Torch.IsGradEnabled());
                }
                Assert.True(Torch.IsGradEnabled());
            }
            Assert.False(Torch.IsGradEnabled());
            Assert.Null((Leaf() * 2).GradFn);
        }
        Assert.True(Torch.IsGradEnabled());
    }

    [Fact]
    public void SetGradEnabled_takes_effect_at_once_and_disposing_restores()
    {
        var scope = Torch.SetGradEnabled(false);
        try
        {
            Assert.False(Torch.IsGradEnabled()); // like torch.set_grad_enabled(False) called as a function
            Torch.SetGradEnabled(true).Dispose();
            Assert.False(Torch.IsGradEnabled());
        }
        finally
        {
            scope.Dispose();
        }
        Assert.True(Torch.IsGradEnabled());
        scope.Dispose(); // a second dispose does not restore again
        Assert.True(Torch.IsGradEnabled());
    }

    [Fact]
    public void Double_dispose_inside_another_scope_does_not_clobber_it()
    {
        var inner = Torch.NoGrad();
        inner.Dispose();
        using (Torch.NoGrad())
        {
            inner.Dispose();
            Assert.False(Torch.IsGradEnabled());
        }
        Assert.True(Torch.IsGradEnabled());
    }

    [Fact]
    public void Delegate_forms_run_under_the_mode_and_restore_even_on_exceptions()
    {
        var x = Leaf();
        var y = Torch.NoGrad(() => x * 2);
        Assert.Null(y.GradFn);
        Assert.True(Torch.IsGradEnabled());

        bool seen = true;
        Torch.NoGrad(() => { seen = Torch.IsGradEnabled(); });
        Assert.False(seen);

        using (Torch.NoGrad())
        {
            var z = Torch.EnableGrad(() => x * 2);
            Assert.NotNull(z.GradFn);
            Torch.EnableGrad(() => { seen = Torch.IsGradEnabled(); });
            Assert.True(seen);
            Assert.False(Torch.IsGradEnabled());
        }

        Assert.Throws<InvalidOperationException>(() => Torch.NoGrad(() => throw new InvalidOperationException("boom")));
        Assert.True(Torch.IsGradEnabled());
        using (Torch.NoGrad())
        {
            Assert.Throws<InvalidOperationException>(() => Torch.EnableGrad<int>(() => throw new InvalidOperationException("boom")));
            Assert.False(Torch.IsGradEnabled());
        }
    }

    [Fact]
    public void Grad_mode_is_per_thread_even_while_threads_overlap()
    {
        var x = Leaf();
        using var barrier = new Barrier(2);
        Tensor? inNoGrad = null, inDefault = null;
        bool noGradSaw = true, defaultSaw = false;
        var a = new Thread(() =>
        {
            using (Torch.NoGrad())
            {
                barrier.SignalAndWait(); // both threads are now inside their mode
                noGradSaw = Torch.IsGradEnabled();
                inNoGrad = x * 2;
                barrier.SignalAndWait(); // neither leaves before both computed
            }
        });
        var b = new Thread(() =>
        {
            barrier.SignalAndWait();
            defaultSaw = Torch.IsGradEnabled();
            inDefault = x * 2;
            barrier.SignalAndWait();
        });
        a.Start();
        b.Start();
        Assert.True(a.Join(TimeSpan.FromSeconds(30)) && b.Join(TimeSpan.FromSeconds(30)));
        Assert.False(noGradSaw);
        Assert.True(defaultSaw);
        Assert.Null(inNoGrad!.GradFn);
        Assert.NotNull(inDefault!.GradFn);
    }

    [Fact]
    public void A_backward_that_fails_midway_restores_the_callers_mode()
    {
        var x = Leaf();
        var s = (x * x).Sum();
        s.Backward();
        using (Torch.NoGrad())
        {
            Assert.Throws<InvalidOperationException>(() => s.Backward(createGraph: true)); // graph already freed
            Assert.False(Torch.IsGradEnabled());
        }
        Assert.Throws<InvalidOperationException>(() => s.Backward());
        Assert.True(Torch.IsGradEnabled());
    }

    [Fact]
    public void A_new_thread_starts_with_grad_enabled_whatever_its_creator_does()
    {
        bool seen = false;
        using (Torch.NoGrad())
        {
            var t = new Thread(() => seen = Torch.IsGradEnabled());
            t.Start();
            t.Join();
        }
        Assert.True(seen);
    }

    [Fact]
    public void Backward_runs_with_grad_disabled_and_restores_the_callers_mode()
    {
        var x = Leaf();
        bool seenInBackward = true;
        var y = LambdaNode.Apply("ProbeBackward", x * 1, g => { seenInBackward = Torch.IsGradEnabled(); return [g]; }, x);
        y.Sum().Backward();
        Assert.False(seenInBackward);
        Assert.True(Torch.IsGradEnabled());
        // Backward works under NoGrad too: the graph was recorded before.
        var loss = (x * 3).Sum();
        x.Grad = null;
        using (Torch.NoGrad())
        {
            loss.Backward();
            Assert.False(Torch.IsGradEnabled());
        }
        // Same result as outside NoGrad.
        Assert.Equal(Torch.Autograd.Grad((x * 3).Sum(), [x])[0]!.ToArray<float>(), x.Grad!.ToArray<float>());
    }
}
