from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def unit_tree(request):  # placeholders until the pages land
    return HttpResponse("")


@login_required
def unit_detail(request, code):
    return HttpResponse("")


@login_required
def person_list(request):
    return HttpResponse("")


@login_required
def person_detail(request, code):
    return HttpResponse("")
