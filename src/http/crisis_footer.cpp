#include "http/crisis_footer.h"

namespace soundcheck::http {
namespace {

std::string Escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

std::string RenderCrisisFooter(const domain::crisis::CrisisResources& r) {
  bool es = r.language == "es";
  std::string html = "<footer class=\"crisis-footer\" id=\"crisis-footer\" lang=\"" +
                     Escape(r.language) + "\" role=\"contentinfo\"><h2>" +
                     (es ? "¿Necesitas ayuda ahora?" : "Need help now?") + "</h2>";
  html += "<p>";
  html += es ? "Soundcheck no es un servicio de emergencias y no se vigila las 24 horas. Si "
               "estás en peligro, llama al "
             : "Soundcheck is not an emergency service and is not watched around the clock. If "
               "you are in danger, call ";
  html += "<a href=\"tel:" + Escape(r.emergency) + "\">" + Escape(r.emergency) + "</a>.</p>";
  if (!r.lines.empty()) {
    html += "<ul>";
    for (const auto& l : r.lines) {
      html += "<li><strong>" + Escape(l.name) + "</strong>: " + Escape(l.how);
      if (!l.phone.empty()) {
        html += " <a href=\"tel:" + Escape(l.phone) + "\">" +
                (es ? std::string("Llamar") : std::string("Call")) + "</a>";
      }
      if (!l.text.empty()) {
        html += " <a href=\"sms:" + Escape(l.text) + "\">" +
                (es ? std::string("Enviar texto") : std::string("Text")) + "</a>";
      }
      html += "</li>";
    }
    html += "</ul>";
  }
  if (!r.note.empty()) html += "<p>" + Escape(r.note) + "</p>";
  html += "<p>";
  html += es ? "La ayuda está disponible y el tratamiento funciona."
             : "Help is available, and treatment works.";
  html += "</p></footer>";
  return html;
}

std::string PageCountry(const Request& request) {
  auto q = request.QueryParams();
  auto it = q.find("country");
  if (it != q.end() && it->second.size() == 2) return it->second;
  return "";
}

std::string PageLanguage(const Request& request) {
  if (request.path == "/es" || request.path.rfind("/es/", 0) == 0) return "es";
  auto q = request.QueryParams();
  if (auto it = q.find("lang"); it != q.end()) return it->second;
  return request.headers.Get("Accept-Language");
}

}  // namespace soundcheck::http
