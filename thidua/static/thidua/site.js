// Behaviour of the base layout, kept out of the HTML so that the content security policy
// allows no inline script: a <select data-autosubmit> submits its form when changed (the
// language selector; a <noscript> button does it without JavaScript).
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target.matches && target.matches("select[data-autosubmit]") && target.form) {
    target.form.submit();
  }
});
