using Rectify.Core.Access;
using Rectify.Core.Demo;

namespace Rectify.Core.Tests.Demo;

public class DemoPasswordTests
{
    /// <summary>
    /// `serve --demo` must never fail at start because a random password broke the policy: 100 000 draws, all accepted
    /// (the earlier "Demo-" + 10 hex characters had no digit about once in 18 000 draws, and a browser test caught it).
    /// </summary>
    [Fact]
    public void Demo_passwords_always_satisfy_the_password_policy_and_differ()
    {
        var seen = new HashSet<string>();
        for (int i = 0; i < 100_000; i++)
        {
            var p = DemoData.NewPassword();
            Assert.Null(Users.CheckPolicy(p));
            seen.Add(p);
        }
        Assert.Equal(100_000, seen.Count);
    }
}
