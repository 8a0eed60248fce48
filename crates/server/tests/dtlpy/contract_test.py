"""The real-client proof: the official Dataloop SDK (dtlpy 1.126.5) against annotask-server.

Runs the calls of the Dataloop tasks chapter as written there (a task with a folder filter and
two assignees, a QA task after marking some items, a task over the whole dataset) and checks the
results through the SDK itself: tasks, assignments and their split, task and assignment items,
members, and item listings with several filters against counts computed independently in Python.

Usage, against a running `annotask-server --db :memory: --demo --addr 127.0.0.1:0`:
    ANNOTASK_URL=http://127.0.0.1:PORT python3 contract_test.py
or let the script start (and stop) the server binary itself:
    ANNOTASK_SERVER_BIN=target/debug/annotask-server python3 contract_test.py
It prints `N passed, 0 failed` last and exits non-zero on any failure. The demo data must be
fresh (the script creates tasks named test_task1, test_task1_qa and whole_dataset).
"""

import atexit
import datetime
import os
import subprocess
import sys
import tempfile
import traceback


def start_server(binary):
    """Starts the server on a free port and returns its base URL from its first stdout line."""
    server = subprocess.Popen(
        [binary, "--db", ":memory:", "--demo", "--addr", "127.0.0.1:0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )

    def stop():
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()

    atexit.register(stop)
    line = server.stdout.readline().strip()
    prefix = "annotask-server listening on "
    if not line.startswith(prefix):
        sys.exit(f"unexpected first line from {binary}: {line!r}")
    return line[len(prefix):]


URL = os.environ.get("ANNOTASK_URL", "").rstrip("/")
if not URL and os.environ.get("ANNOTASK_SERVER_BIN"):
    URL = start_server(os.environ["ANNOTASK_SERVER_BIN"]).rstrip("/")
if not URL:
    sys.exit("set ANNOTASK_URL to the server's base URL (e.g. http://127.0.0.1:8080) "
             "or ANNOTASK_SERVER_BIN to the annotask-server binary")
# dtlpy keeps its cookie (tokens, environments) here; it must be set before the import.
os.environ["DATALOOP_PATH"] = os.environ.get("DATALOOP_PATH") or tempfile.mkdtemp(prefix="annotask-dtlpy-")

import dtlpy as dl  # noqa: E402

dl.verbose.disable_progress_bar = True

MANAGER = "manager@demo.annotask"
PASSWORD = "annotask-demo"
ANNOTATOR1 = "annotator1@demo.annotask"
ANNOTATOR2 = "annotator2@demo.annotask"

passed = 0
failed = 0


def check(name, condition, detail=""):
    global passed, failed
    if condition:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name} {detail}")


def section(function):
    """Runs one group of checks; an exception counts as one failure and the run goes on."""
    global failed
    try:
        function()
    except Exception:  # noqa: BLE001 - any SDK error is a contract failure
        failed += 1
        print(f"FAIL {function.__name__} raised:")
        traceback.print_exc(file=sys.stdout)


def all_of(listing):
    """Every entity of a list or of PagedEntities."""
    if isinstance(listing, list):
        return list(listing)
    return [entity for page in listing for entity in page]


def ids(entities):
    return sorted(entity.id for entity in entities)


def system(item):
    return item.metadata.get("system", {})


def is_default(item):
    """What dl.Filters() selects by default: visible files."""
    return item.type == "file" and not item.hidden


state = {}


def login():
    dl.add_environment(environment=URL + "/api/v1", alias="local", gate_url=URL, verify_ssl=False)
    dl.setenv("local")
    check("login_m2m succeeds", dl.login_m2m(MANAGER, PASSWORD) is True)
    check("the token carries the email", dl.info().get("user_email") == MANAGER, dl.info())
    check("token is not expired", not dl.token_expired())


def project_and_members():
    project = dl.projects.get(project_name="demo")
    state["project"] = project
    check("project by name", project.name == "demo")
    check("project by id", dl.projects.get(project_id=project.id).id == project.id)
    names = [p.name for p in dl.projects.list()]
    check("projects list shows only member projects", names == ["demo"], names)
    members = project.list_members()
    emails = sorted(m.email for m in members)
    check("ten members", len(members) == 10, emails)
    roles = {m.email: m.role for m in members}
    check("member roles", roles.get("owner@demo.annotask") == "owner" and roles.get(MANAGER) == "annotationManager"
          and sum(1 for r in roles.values() if r == "annotator") == 8, roles)
    try:
        dl.projects.get(project_name="restricted")
        check("a non-member project is not found", False)
    except dl.exceptions.NotFound:
        check("a non-member project is not found", True)

    dataset = project.datasets.get(dataset_name="images")
    state["dataset"] = dataset
    check("dataset by name", dataset.name == "images")
    check("dataset has its recipe", len(dataset.metadata["system"]["recipes"]) == 1)
    check("datasets list", [d.name for d in project.datasets.list()] == ["images"])


def item_listings():
    dataset = state["dataset"]
    everything = all_of(dataset.items.list(filters=dl.Filters(use_defaults=False)))
    state["everything"] = everything
    all_ids = [i.id for i in everything]
    check("keyset paging returns every item once", len(all_ids) == len(set(all_ids)) and len(all_ids) > 1000, len(all_ids))
    check("ids come in creation order", all_ids == sorted(all_ids))
    check("folders are dir items", sorted(i.filename for i in everything if i.type == "dir")
          == ["/folder1", "/folder1/sub", "/folder2", "/folder3"])

    def expect(name, filters, predicate):
        pages = dataset.items.list(filters=filters)
        # Read before iterating: keyset paging narrows later pages' totals to what is left.
        count = pages.items_count
        got = ids(all_of(pages))
        want = ids([i for i in everything if predicate(i)])
        check(f"items: {name} ({len(want)})", got == want and count == len(want),
              f"got {len(got)} (count {count}), want {len(want)}")

    expect("defaults", dl.Filters(), is_default)
    expect("dir /folder1", dl.Filters(field="dir", values="/folder1"),
           lambda i: is_default(i) and i.dir == "/folder1")
    expect("filename /folder1 (recursive)", dl.Filters(field="filename", values="/folder1"),
           lambda i: is_default(i) and i.filename.startswith("/folder1/"))
    f = dl.Filters()
    f.add(field="dir", values="/folder2", method=dl.FiltersMethod.OR)
    f.add(field="dir", values="/folder3", method=dl.FiltersMethod.OR)
    expect("dir /folder2 or /folder3", f, lambda i: is_default(i) and i.dir in ("/folder2", "/folder3"))
    expect("mimetype image/png", dl.Filters(field="metadata.system.mimetype", values="image/png"),
           lambda i: is_default(i) and system(i).get("mimetype") == "image/png")
    expect("height > 700", dl.Filters(field="metadata.system.height", values=700, operator=dl.FiltersOperations.GREATER_THAN),
           lambda i: is_default(i) and system(i).get("height", 0) > 700)
    f = dl.Filters(field="metadata.user.split", values="train")
    f.add(field="metadata.user.weather", values=["rain", "snow"], operator=dl.FiltersOperations.IN)
    expect("split train, rain or snow", f, lambda i: is_default(i) and i.metadata.get("user", {}).get("split") == "train"
           and i.metadata.get("user", {}).get("weather") in ("rain", "snow"))
    expect("created in 2025 or later",
           dl.Filters(field="createdAt", values="2025-01-01T00:00:00.000Z", operator=dl.FiltersOperations.GREATER_THAN_OR_EQUAL),
           lambda i: is_default(i) and i.created_at >= "2025-01-01")
    expect("hidden items", dl.Filters(field="hidden", values=True), lambda i: i.type == "file" and i.hidden)
    expect("annotated", dl.Filters(field="annotated", values=True), lambda i: is_default(i) and i.annotated is True)

    f = dl.Filters()
    f.add_join(field="label", values=["dog"], operator=dl.FiltersOperations.IN)
    dogs = all_of(dataset.items.list(filters=f))
    annotated = sum(1 for i in everything if is_default(i) and i.annotated is True)
    check("join on annotation label", 0 < len(dogs) < annotated and all(d.annotated is True for d in dogs),
          f"{len(dogs)} of {annotated}")

    f = dl.Filters(field="dir", values="/folder3")
    f.sort_by(field="filename", value=dl.FiltersOrderByDirection.DESCENDING)
    page = dataset.items.list(filters=f)
    names = [i.filename for i in page.items]
    check("sort by filename descending", names == sorted(names, reverse=True) and len(names) > 0)


def chapter_tasks():
    dataset = state["dataset"]
    everything = state["everything"]

    # As written in the chapter (with the demo's assignees).
    filters = dl.Filters(field="dir", values="/folder1")
    task = dataset.tasks.create(
        task_name="test_task1",
        due_date=datetime.datetime(day=11, month=3, year=2025).timestamp(),
        assignee_ids=[ANNOTATOR1, ANNOTATOR2],
        # The items will be divided equally between assignees
        filters=filters,  # (optional) filter by folder directory or use other filters
    )
    state["task"] = task
    check("task created", task.name == "test_task1" and len(task.id) == 24)
    want = ids([i for i in everything if is_default(i) and i.dir == "/folder1"])
    task_items = all_of(task.get_items())
    check("task.get_items() is exactly the folder's files", ids(task_items) == want, f"{len(task_items)} vs {len(want)}")

    assignments = task.assignments.list()
    check("two assignments", len(assignments) == 2, len(assignments))
    annotators = sorted(a.annotator for a in assignments)
    check("assignments per assignee", annotators == [ANNOTATOR1, ANNOTATOR2], annotators)
    sizes = sorted(len(all_of(a.get_items())) for a in assignments)
    check("an even split", sizes == sorted([len(want) // 2, len(want) - len(want) // 2]), sizes)
    union = sorted(i for a in assignments for i in ids(all_of(a.get_items())))
    check("assignments cover the task's items exactly once", union == want)

    # Mark some of the first task's items, then the QA task over them.
    ordered = sorted(task_items, key=lambda i: i.id)
    completed = ordered[:10]
    discarded = ordered[10:13]
    for item in completed:
        item.update_status(status=dl.ItemStatus.COMPLETED, task_id=task.id)
    for item in discarded:
        item.update_status(status=dl.ItemStatus.DISCARDED, task_id=task.id)
    refreshed = dataset.tasks.get(task_id=task.id)
    status = refreshed.item_status or {}
    check("statuses are counted on the task",
          status.get("completed") == 10 and status.get("discard") == 3 and status.get("remaining") == len(want) - 13, status)

    qa_task = dataset.tasks.create_qa_task(
        task=task,
        due_date=datetime.datetime(day=1, month=1, year=2029).timestamp(),
        assignee_ids=[ANNOTATOR1, ANNOTATOR2],
        filters=filters,  # this filter is for "completed items"
    )
    check("QA task created", qa_task.name == "test_task1_qa" and qa_task.spec.get("parentTaskId") == task.id,
          (qa_task.name, qa_task.spec))
    qa_items = ids(all_of(qa_task.get_items()))
    check("QA task holds the items with a status", qa_items == ids(completed + discarded), f"{len(qa_items)} items")
    qa_assignments = qa_task.assignments.list()
    check("QA assignments split 7/6", sorted(len(all_of(a.get_items())) for a in qa_assignments) == [6, 7])

    whole = dataset.tasks.create(
        task_name="whole_dataset",
        due_date=datetime.datetime(day=1, month=1, year=2029).timestamp(),
        assignee_ids=[ANNOTATOR1, ANNOTATOR2],
        # The items will be divided equally between assignments
    )
    whole_want = ids([i for i in everything if is_default(i)])
    whole_items = ids(all_of(whole.get_items()))
    check("whole-dataset task holds every visible file", whole_items == whole_want, f"{len(whole_items)} vs {len(whole_want)}")
    state["whole"] = whole

    names = sorted(t.name for t in dataset.tasks.list())
    check("tasks listed", names == ["demo-labeling", "test_task1", "test_task1_qa", "whole_dataset"], names)
    check("task by name", dataset.tasks.get(task_name="test_task1").id == task.id)
    check("task by id keeps project and recipe",
          dataset.tasks.get(task_id=task.id).project_id == state["project"].id and task.recipe_id == dataset.metadata["system"]["recipes"][0])


def delete_task():
    dataset = state["dataset"]
    whole = state["whole"]
    check("task deleted", dataset.tasks.delete(task=whole) is True)
    try:
        dataset.tasks.get(task_id=whole.id)
        check("a deleted task is gone", False)
    except dl.exceptions.NotFound:
        check("a deleted task is gone", True)
    left = all_of(dataset.items.list(filters=dl.Filters(field="metadata.system.refs.id", values=[whole.id],
                                                          operator=dl.FiltersOperations.IN, use_defaults=False)))
    check("its refs are gone from the items", left == [], len(left))


def wrong_password():
    check("a wrong password is refused", dl.login_m2m(MANAGER, "wrong-password", force=True) is False)


for step in (login, project_and_members, item_listings, chapter_tasks, delete_task, wrong_password):
    if step is not login and failed and "dataset" not in state:
        break
    section(step)

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
