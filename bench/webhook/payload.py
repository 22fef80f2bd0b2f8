"""payload.py - GitHub `push` deliveries for bench/webhook: a payload template shaped like GitHub's (the ref, the
before and after commits, the repository with all its API and clone URLs, the pusher, the sender, the commits
with their files, head_commit, compare), padded with commits to an exact size, with tokens where each delivery
differs; and the rendering and signing of one delivery (the same as deliveries.lua does in wrk, for the checks
and for h2load's fixed request).

Tokens (written @@NAME@@): OWNER and REPO (the repository is OWNER/REPO), RID (the repository's numeric id),
OID (the owner's), SHA (32 hex digits of the delivery; commit k's id is SHA followed by k as 8 hex digits, the
"before" commit is k = 0), TS (the push's Unix time). Repository names have a fixed width (repo_name()), so
every rendered body has exactly the template's target size."""

import hashlib
import hmac
import json
import uuid

SECRET = "bench-webhook-secret-4f1d2c"  # the gateway's --webhook-secret
TOKEN_SAMPLES = {"OWNER": "lgbench00", "REPO": "repo-00000000", "RID": "700000000", "OID": "90000000",
                 "SHA": "0" * 32, "TS": "1764000000"}
OWNERS = 20  # repositories are spread over this many owners


def repo_name(index):
    """(owner, repo) of repository number index: fixed widths, names GitHub allows."""
    return f"lgbench{index % OWNERS:02d}", f"repo-{index:08d}"


def _user(login, oid, kind="User"):
    base = f"https://api.github.com/users/{login}"
    return {
        "name": login, "email": None, "login": login, "id": oid, "node_id": "MDQ6VXNlcj" + "@@OID@@",
        "avatar_url": f"https://avatars.githubusercontent.com/u/{oid}?v=4", "gravatar_id": "",
        "url": base, "html_url": f"https://github.com/{login}", "followers_url": base + "/followers",
        "following_url": base + "/following{/other_user}", "gists_url": base + "/gists{/gist_id}",
        "starred_url": base + "/starred{/owner}{/repo}", "subscriptions_url": base + "/subscriptions",
        "organizations_url": base + "/orgs", "repos_url": base + "/repos",
        "events_url": base + "/events{/privacy}", "received_events_url": base + "/received_events",
        "type": kind, "site_admin": False,
    }


def _repository():
    full = "@@OWNER@@/@@REPO@@"
    api = f"https://api.github.com/repos/{full}"
    owner = _user("@@OWNER@@", "@@OID@@", "Organization")
    repo = {
        "id": "@@RID@@", "node_id": "R_kgDOK" + "@@RID@@", "name": "@@REPO@@", "full_name": full,
        "private": False, "owner": owner, "html_url": f"https://github.com/{full}",
        "description": "Notebooks for the course: exercises, solutions and the data they read", "fork": False,
        "url": f"https://github.com/{full}", "forks_url": api + "/forks", "keys_url": api + "/keys{/key_id}",
        "collaborators_url": api + "/collaborators{/collaborator}", "teams_url": api + "/teams",
        "hooks_url": api + "/hooks", "issue_events_url": api + "/issues/events{/number}",
        "events_url": api + "/events", "assignees_url": api + "/assignees{/user}",
        "branches_url": api + "/branches{/branch}", "tags_url": api + "/tags",
        "blobs_url": api + "/git/blobs{/sha}", "git_tags_url": api + "/git/tags{/sha}",
        "git_refs_url": api + "/git/refs{/sha}", "trees_url": api + "/git/trees{/sha}",
        "statuses_url": api + "/statuses/{sha}", "languages_url": api + "/languages",
        "stargazers_url": api + "/stargazers", "contributors_url": api + "/contributors",
        "subscribers_url": api + "/subscribers", "subscription_url": api + "/subscription",
        "commits_url": api + "/commits{/sha}", "git_commits_url": api + "/git/commits{/sha}",
        "comments_url": api + "/comments{/number}", "issue_comment_url": api + "/issues/comments{/number}",
        "contents_url": api + "/contents/{+path}", "compare_url": api + "/compare/{base}...{head}",
        "merges_url": api + "/merges", "archive_url": api + "/{archive_format}{/ref}",
        "downloads_url": api + "/downloads", "issues_url": api + "/issues{/number}",
        "pulls_url": api + "/pulls{/number}", "milestones_url": api + "/milestones{/number}",
        "notifications_url": api + "/notifications{?since,all,participating}",
        "labels_url": api + "/labels{/name}", "releases_url": api + "/releases{/id}",
        "deployments_url": api + "/deployments", "created_at": 1693000000, "updated_at": "2025-11-20T09:12:44Z",
        "pushed_at": "@@TS@@", "git_url": f"git://github.com/{full}.git", "ssh_url": f"git@github.com:{full}.git",
        "clone_url": f"https://github.com/{full}.git", "svn_url": f"https://github.com/{full}", "homepage": None,
        "size": 48213, "stargazers_count": 37, "watchers_count": 37, "language": "Jupyter Notebook",
        "has_issues": True, "has_projects": True, "has_downloads": True, "has_wiki": False, "has_pages": False,
        "has_discussions": False, "forks_count": 12, "mirror_url": None, "archived": False, "disabled": False,
        "open_issues_count": 3,
        "license": {"key": "mit", "name": "MIT License", "spdx_id": "MIT", "url": "https://api.github.com/licenses/mit",
                    "node_id": "MDc6TGljZW5zZTEz"},
        "allow_forking": True, "is_template": False, "web_commit_signoff_required": False,
        "topics": ["jupyter", "teaching", "data-science"], "visibility": "public", "forks": 12,
        "open_issues": 3, "watchers": 37, "default_branch": "main", "stargazers": 37, "master_branch": "main",
        "organization": "@@OWNER@@",
    }
    return repo


def _commit(k, message, files):
    sha = f"@@SHA@@{k:08x}"
    person = {"name": "Ada Lovelace", "email": "ada@example.org", "username": "ada-l"}
    return {
        "id": sha, "tree_id": f"{(k * 2654435761) % (1 << 32):08x}" + "9c1e5b7a3f20d84e6b1c0a7f5e3d2c1b",
        "distinct": True, "message": message, "timestamp": "2025-11-28T10:4%d:0%d+01:00" % (k % 10, k % 10),
        "url": f"https://github.com/@@OWNER@@/@@REPO@@/commit/{sha}", "author": person, "committer": person,
        "added": files[0], "removed": files[1], "modified": files[2],
    }


def _files(k):
    week = f"week{k % 12 + 1:02d}"
    return ([f"notebooks/{week}/exercise-{k % 7 + 1}.ipynb"] if k % 3 == 0 else [],
            [f"data/old/sample-{k}.csv"] if k % 5 == 4 else [],
            [f"notebooks/{week}/solutions.ipynb", f"notebooks/{week}/README.md", "requirements.txt"][:k % 3 + 1])


MESSAGES = ["Fix the plotting cell so the axis labels show units",
            "Add the solutions for the regression exercises",
            "Pin numpy and pandas to the versions the course uses",
            "Explain the bootstrap step in more detail\n\nThe earlier text skipped the resampling loop.",
            "Rename the data files to match the notebook titles"]


def template(target):
    """The JSON text of a push delivery with tokens, padded with commits (and the first commit's message) so
    that each rendered body is exactly target bytes; (text, commits)."""
    def doc(n, pad):
        commits = [_commit(k, MESSAGES[(k - 1) % len(MESSAGES)], _files(k)) for k in range(1, n + 1)]
        if pad >= 4:  # "\n\n" is 4 bytes of JSON
            commits[0]["message"] += "\n\n" + ("Tidy the cells and clear the outputs. " * (pad // 38 + 1))[:pad - 4]
        else:
            commits[0]["message"] += "." * pad
        return {
            "ref": "refs/heads/main", "before": "@@SHA@@00000000", "after": f"@@SHA@@{n:08x}",
            "repository": _repository(), "pusher": {"name": "ada-l", "email": "ada@example.org"},
            "organization": {"login": "@@OWNER@@", "id": "@@OID@@", "node_id": "O_kgDOB" + "@@OID@@",
                             "url": "https://api.github.com/orgs/@@OWNER@@",
                             "repos_url": "https://api.github.com/orgs/@@OWNER@@/repos",
                             "description": "Course material"},
            "sender": _user("ada-l", 5812345), "created": False, "deleted": False, "forced": False,
            "base_ref": None,
            "compare": f"https://github.com/@@OWNER@@/@@REPO@@/compare/@@SHA@@00000000...@@SHA@@{n:08x}",
            "commits": commits, "head_commit": commits[-1],
        }

    def text(d):
        s = json.dumps(d, separators=(",", ":"))
        for tok in ("RID", "OID", "TS"):  # numbers in GitHub's payload
            s = s.replace(f'"@@{tok}@@"', f"@@{tok}@@")
        return s

    n = 2  # commit 1 takes the padding: it must not be head_commit too
    if len(render(text(doc(n, 0)))) > target:
        raise ValueError(f"a push with two commits is already over the {target} bytes asked for")
    while len(render(text(doc(n + 1, 0)))) <= target:
        n += 1
    t = text(doc(n, target - len(render(text(doc(n, 0))))))
    assert len(render(t)) == target, (len(render(t)), target)
    return t, n


def render(tpl, **values):
    """The template with its tokens replaced (TOKEN_SAMPLES for those not given)."""
    v = dict(TOKEN_SAMPLES)
    v.update(values)
    out = tpl
    for k, x in v.items():
        out = out.replace(f"@@{k}@@", str(x))
    return out


def delivery(tpl, index, seq):
    """(body bytes, headers list) of one signed delivery to repository number index; seq makes its SHA."""
    owner, repo = repo_name(index)
    body = render(tpl, OWNER=owner, REPO=repo, RID=700000000 + index, OID=90000000 + index % OWNERS,
                  SHA=f"{seq:032x}", TS=1764000000).encode()
    return body, headers(body, str(uuid.uuid4()))


def signature(body):
    return "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()


def headers(body, guid):
    return [("Content-Type", "application/json"), ("User-Agent", "GitHub-Hookshot/7e1f0a2"),
            ("X-GitHub-Event", "push"), ("X-GitHub-Delivery", guid), ("X-GitHub-Hook-ID", "482915733"),
            ("X-GitHub-Hook-Installation-Target-ID", "700000000"),
            ("X-GitHub-Hook-Installation-Target-Type", "repository"), ("X-Hub-Signature-256", signature(body))]
