"""For the tests of pages whose download runs as a background job (run at once in the
suite): press the download button (a POST: starting a job changes state), follow to the
job's page, then fetch the file as the same user."""

from django.urls import reverse


def job_file(client, url, data=None):
    """(job, response of its file) for the download that a POST of `data` to `url` starts
    (what the page's button sends; `url` may carry the page's query)."""
    assert client.get(url).status_code == 405  # a link followed starts nothing
    page = client.post(url, data or {}, follow=True)
    assert page.status_code == 200, page.status_code
    job = page.context["job"]
    assert job.status == "succeeded", job.message
    return job, client.get(reverse("jobs:result", args=[job.pk]))


def job_content(client, url, data=None) -> bytes:
    """The bytes of the file that `url`'s job wrote."""
    _job, response = job_file(client, url, data)
    assert response.status_code == 200
    return b"".join(response.streaming_content)
